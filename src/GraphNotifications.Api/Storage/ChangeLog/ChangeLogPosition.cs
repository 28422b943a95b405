namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>
/// A place in the change log: the entries after it are those with a larger (<see cref="TransactionId"/>,
/// <see cref="Sequence"/>), compared in that order. A reader remembers the <see cref="ChangeLogEntry.Position"/> of the
/// last entry it handled and asks for what follows (<see cref="ChangeLogReader"/>).
/// </summary>
/// <remarks>
/// On PostgreSQL <see cref="TransactionId"/> is the appending transaction's id (see <see cref="ChangeLogEntry"/>); on
/// SQLite it is always 0 and the sequence alone orders the log. Positions handed out before PostgreSQL recorded
/// transaction ids (delta tokens, subscriptions' delivery positions) carry 0 too, and so do the entries appended
/// then: such a position still means "after this sequence", and every later entry follows it.
/// </remarks>
public readonly record struct ChangeLogPosition(long TransactionId, long Sequence) : IComparable<ChangeLogPosition>
{
    /// <summary>Before every entry.</summary>
    public static readonly ChangeLogPosition Start = default;

    public int CompareTo(ChangeLogPosition other) =>
        TransactionId != other.TransactionId ? TransactionId.CompareTo(other.TransactionId) : Sequence.CompareTo(other.Sequence);

    public static bool operator <(ChangeLogPosition left, ChangeLogPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(ChangeLogPosition left, ChangeLogPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(ChangeLogPosition left, ChangeLogPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ChangeLogPosition left, ChangeLogPosition right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{TransactionId}:{Sequence}";
}

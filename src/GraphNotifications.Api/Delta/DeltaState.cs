using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;

namespace GraphNotifications.Api.Delta;

/// <summary>
/// Where a delta sync stands, carried in its <c>$skiptoken</c> and <c>$deltatoken</c> (protected by
/// <see cref="DeltaTokens"/>, so clients can neither read nor forge it).
/// </summary>
/// <param name="TenantId">The feed it was issued for: tenant, app and user. Another feed's token is refused.</param>
/// <param name="Sequence">
/// With <paramref name="TransactionId"/>, the change log's position: the last entry the client has been given, or for
/// an initial sync the high-water mark read when it began (so that what is committed while the client pages through
/// the feed comes with the next round).
/// </param>
/// <param name="Since">
/// When <paramref name="Sequence"/> was current (UTC ticks): every entry after it is at least this recent, so the token
/// is good until the change log's retention has passed since.
/// </param>
/// <param name="Select">The first call's <c>$select</c>, which every later page keeps.</param>
/// <param name="After">In an initial sync, the feed position of the last notification sent (its creation ticks and id).</param>
/// <param name="TransactionId">
/// The position's transaction id (PostgreSQL; 0 on SQLite). Tokens issued before it was recorded lack it and read as 0:
/// after every entry up to their sequence, which is where they stood (docs/postgres.md, "Upgrading").
/// </param>
/// <param name="AlreadyShown">
/// Transactions after the position whose changes the client was shown when its sync began (PostgreSQL; see
/// <see cref="ChangeLogReader.FeedStartAsync"/>): their entries are skipped, and dropped from here once passed.
/// </param>
internal sealed record DeltaState(
    string TenantId,
    string AppId,
    string UserId,
    long Sequence,
    long Since,
    string? Select,
    DeltaFeedPosition? After = null,
    long TransactionId = 0,
    long[]? AlreadyShown = null)
{
    public ChangeLogPosition Position => new(TransactionId, Sequence);

    /// <summary>The transactions whose entries this client does not need (never null).</summary>
    public IReadOnlyCollection<long> Skipped => AlreadyShown ?? [];

    /// <summary>Whether <paramref name="entry"/> is news to this client: after its position, and not shown already.</summary>
    public bool Follows(ChangeLogEntry entry) => entry.Position > Position && !Skipped.Contains(entry.TransactionId);

    public DeltaState At(ChangeLogPosition position)
    {
        // A position only moves over entries it read, and those of a skipped transaction are never read: one passed is done.
        long[] still = [.. Skipped.Where(id => id > position.TransactionId)];
        return this with { TransactionId = position.TransactionId, Sequence = position.Sequence, AlreadyShown = still.Length > 0 ? still : null };
    }

    /// <summary>A sync of this feed that begins at <paramref name="start"/>.</summary>
    public static DeltaState Starting(AppScope app, string userId, FeedStart start, long since, string? select) =>
        new(app.TenantId, app.AppId, userId, start.Position.Sequence, since, select,
            TransactionId: start.Position.TransactionId, AlreadyShown: start.AlreadyShown.Length > 0 ? start.AlreadyShown : null);
}

/// <summary>The feed's keyset position of the last notification an initial sync sent.</summary>
internal sealed record DeltaFeedPosition(long CreatedAt, string Id);

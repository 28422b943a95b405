namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>
/// One change to one user's feed: the transactional outbox that delta queries and change notifications read.
/// An entry is appended in the same database transaction as the change itself (see <see cref="ChangeLogCommit"/>),
/// so the log holds exactly what was committed.
/// </summary>
/// <remarks>
/// <para>
/// Table <c>ChangeLog</c>. One entry per feed a change touches: a PATCH of a notification in three feeds writes three
/// entries, a DELETE one per feed that held it. A notification created through the entity set, linked to nobody,
/// writes none; it enters the log when it is linked into a feed.
/// </para>
/// <list type="table">
/// <listheader><term>change</term><description><see cref="ChangeType"/> / <see cref="RemovedReason"/></description></listheader>
/// <item><term>POST …/notifications (created and linked), POST …/notifications/$ref (linked)</term><description>created / null</description></item>
/// <item><term>PATCH of a notification in the feed</term><description>updated / null</description></item>
/// <item><term>DELETE …/notifications/{id}/$ref (dismissed from this feed; it lives on elsewhere)</term><description>deleted / changed</description></item>
/// <item><term>DELETE of the notification</term><description>deleted / deleted</description></item>
/// <item><term>expired (removed by the expiry sweeper)</term><description>deleted / deleted</description></item>
/// </list>
/// <para>
/// Reading it: entries of one feed are those of one (<see cref="TenantId"/>, <see cref="AppId"/>,
/// <see cref="UserId"/>), in <see cref="Position"/> order (index <c>IX_ChangeLog_Feed</c>), and a reader that
/// remembers the last position it read and asks for larger ones never skips an entry (<see cref="ChangeLogReader"/>).
/// On SQLite, one writer at a time, entries become visible in sequence order, and the sequence is the position. On
/// PostgreSQL, where appends commit concurrently, an entry records its transaction's id (<see cref="TransactionId"/>),
/// the log is ordered by transaction id and then sequence, and a reader reads only the entries of transactions that
/// are complete in its snapshot: every transaction that commits later has a larger id than any it read
/// (docs/postgres.md proves it). (EF Core's in-memory store, for tests and demos, numbers entries when they are added,
/// not when saved; concurrent writers there may become visible out of order.)
/// </para>
/// <para>
/// Entries older than <c>ChangeLog:Retention</c> (7 days by default) are deleted by <see cref="ChangeLogSweeper"/>;
/// a reader whose position is older than that must start over.
/// </para>
/// </remarks>
public sealed class ChangeLogEntry
{
    /// <summary>A database identity, increasing, never reused (gaps are possible); orders the entries of one transaction.</summary>
    public long Sequence { get; init; }

    /// <summary>
    /// On PostgreSQL, the id of the transaction that appended the entry (<c>pg_current_xact_id()</c>, the column's
    /// default), 0 for entries appended before it was recorded; always 0 on SQLite, where it is not stored.
    /// </summary>
    public long TransactionId { get; init; }

    /// <summary>The entry's place in the log.</summary>
    public ChangeLogPosition Position => new(TransactionId, Sequence);

    public required string TenantId { get; init; }

    /// <summary>The app that owns the notification; only that app's readers see the entry.</summary>
    public required string AppId { get; init; }

    /// <summary>The user whose feed changed.</summary>
    public required string UserId { get; init; }

    public required string NotificationId { get; init; }

    public required FeedChangeType ChangeType { get; init; }

    /// <summary>
    /// The notification's <c>targetHostName</c>, copied when the entry is appended: a subscription filtered by host
    /// needs it for a deletion too, when the notification is gone.
    /// </summary>
    public string? TargetHostName { get; init; }

    /// <summary>For <see cref="FeedChangeType.Deleted"/>, Graph's <c>@removed</c> reason; null otherwise.</summary>
    public RemovedReason? RemovedReason { get; init; }

    /// <summary>When the change was made (UTC ticks, as the store keeps every instant).</summary>
    public required long OccurredAt { get; init; }
}

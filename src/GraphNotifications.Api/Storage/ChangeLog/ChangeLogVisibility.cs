using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>
/// Which change-log entries a reader may read on PostgreSQL: those of transactions with an id below a bound that every
/// transaction of this database still running in the reader's snapshot is at or above. Whatever commits after the
/// read then has an id at least the bound (it was running, or it gets its id later, above the snapshot's
/// <c>xmax</c>), so it sorts after everything the read returned. docs/postgres.md gives the whole argument.
/// </summary>
internal static class ChangeLogVisibility
{
    /// <summary>The appending transaction's id (64 bits, with its epoch, so it never wraps), as <c>bigint</c>.</summary>
    public const string CurrentTransactionId = "pg_current_xact_id()::text::bigint";

    /// <summary>
    /// The bound, in the statement's snapshot: the smallest id the snapshot lists as running, or its <c>xmax</c> when none
    /// is. That is <c>pg_snapshot_xmin(pg_current_snapshot())</c>, but for the transactions <c>pg_stat_activity</c> shows
    /// running in another database of the cluster: they cannot write this log, so a long one there does not hold
    /// readers here back. (Its <c>backend_xid</c> has 32 bits, matched against the low 32 of the running ids, which
    /// are never 2^31 apart.) A transaction not shown there, for whatever reason, counts as one of this database.
    /// </summary>
    public const string CompleteBelow = """
        (SELECT coalesce(min(x::text::bigint), pg_snapshot_xmax(pg_current_snapshot())::text::bigint)
         FROM pg_snapshot_xip(pg_current_snapshot()) AS x
         WHERE x::text::bigint % 4294967296 NOT IN (
             SELECT a.backend_xid::text::bigint FROM pg_stat_activity a
             WHERE a.backend_xid IS NOT NULL AND a.datname <> current_database()))
        """;

    /// <summary>Whether the log is ordered by transaction id (PostgreSQL) rather than by sequence alone.</summary>
    public static bool OrdersByTransaction(NotificationsDbContext db) => db.Database.IsNpgsql();

    /// <summary>The entries a reader may read now: on PostgreSQL those of complete transactions, elsewhere all that are visible.</summary>
    public static IQueryable<ChangeLogEntry> Readable(NotificationsDbContext db) => OrdersByTransaction(db)
        ? db.ChangeLog.FromSqlRaw($"""SELECT * FROM "ChangeLog" WHERE "TransactionId" < {CompleteBelow}""")
        : db.ChangeLog;

    /// <summary>The entries after <paramref name="position"/>, in position order.</summary>
    public static IQueryable<ChangeLogEntry> After(this IQueryable<ChangeLogEntry> entries, NotificationsDbContext db, ChangeLogPosition position)
    {
        if (!OrdersByTransaction(db))
        {
            // Transaction ids are all 0 here: the sequence alone, so the plan is the primary key's or the feed index's range.
            return entries.Where(e => e.Sequence > position.Sequence).OrderBy(e => e.Sequence);
        }

        long transactionId = position.TransactionId, sequence = position.Sequence;
        // The first condition alone bounds the index range; the second drops what the position's own transaction had before it.
        return entries
            .Where(e => e.TransactionId >= transactionId && (e.TransactionId > transactionId || e.Sequence > sequence))
            .OrderBy(e => e.TransactionId).ThenBy(e => e.Sequence);
    }
}

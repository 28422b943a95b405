using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>
/// Saves a change to the feeds together with its change-log entries, in one transaction: the caller's, when the
/// context already has one (an atomicity group of a batch, an <c>Idempotency-Key</c> create), else one begun here.
/// </summary>
/// <remarks>
/// Entries must become visible in <see cref="ChangeLogEntry.Sequence"/> order, or a reader that asks for "after the
/// last sequence I read" skips one that commits late. On PostgreSQL identities are handed out as inserts run, not as
/// transactions commit, so every append first takes one transaction-scoped advisory lock, held until commit: appends
/// commit one after another, in sequence order. It is taken before the feed's links are read, so an entry per feed
/// is computed from links no concurrent append can change meanwhile. SQLite's transactions here are
/// <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's default), one writer at a time, which gives the same order.
/// </remarks>
internal static class ChangeLogCommit
{
    // Any constant shared by every instance; MigrationLock uses another.
    private const long AppendLockKey = 0x4752_4150_4843_4C47;

    /// <param name="append">Adds the entries (and may read the store to find them); runs inside the transaction.</param>
    public static async Task SaveAsync(NotificationsDbContext db, Func<CancellationToken, Task> append, CancellationToken cancellationToken)
    {
        if (!db.Database.IsRelational() || db.Database.CurrentTransaction is not null)
        {
            await LockAsync(db, cancellationToken);
            await append(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockAsync(db, cancellationToken);
        await append(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task LockAsync(NotificationsDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AppendLockKey})", cancellationToken);
        }
    }
}

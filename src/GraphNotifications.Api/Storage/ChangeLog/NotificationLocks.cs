using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>
/// The PostgreSQL locks that order the changes to one notification (<see cref="ChangeLogCommit"/>): a
/// transaction-scoped advisory lock per notification, keyed by a hash of its id in a key space of its own (a
/// collision only makes two notifications wait for each other). Taken in key order, so two transactions that lock
/// several never wait for each other in a cycle.
/// </summary>
internal static class NotificationLocks
{
    // The first key of PostgreSQL's two-key advisory locks ('GNLK'): that space never meets the one-key space MigrationLock uses.
    private const int KeySpace = 0x474E_4C4B;

    /// <summary>
    /// Takes the locks of <paramref name="notificationIds"/> (on PostgreSQL; nothing elsewhere). Returns the
    /// transaction's id when it already had one before: then its entries may sort before those of a writer that
    /// committed while it waited, and <see cref="CheckOrderAsync"/> must run before it saves.
    /// </summary>
    public static async Task<long?> TakeAsync(NotificationsDbContext db, IReadOnlyCollection<string> notificationIds, CancellationToken cancellationToken)
    {
        if (notificationIds.Count == 0 || !db.Database.IsNpgsql())
        {
            return null;
        }

        string[] ids = [.. notificationIds.Distinct(StringComparer.Ordinal)];
        // Whether the transaction had an id is decided by its earlier statements, not by the wait.
        var earlier = await db.Database.SqlQuery<long?>($"""
            SELECT pg_current_xact_id_if_assigned()::text::bigint AS "Value"
            FROM (SELECT count(pg_advisory_xact_lock({KeySpace}, k)) FROM (SELECT DISTINCT hashtext(id) AS k FROM unnest({ids}) AS id ORDER BY k) keys) locked
            """).ToListAsync(cancellationToken);
        return earlier.Single();
    }

    /// <summary>
    /// Refuses the save (<see cref="ChangeLogOrderConflictException"/>) when a transaction with a larger id than
    /// <paramref name="transactionId"/> committed an entry for a notification and feed this one is about to log: the
    /// log would show the two changes in the opposite order to the one they happened in.
    /// </summary>
    public static async Task CheckOrderAsync(NotificationsDbContext db, long transactionId, CancellationToken cancellationToken)
    {
        var appending = db.ChangeTracker.Entries<ChangeLogEntry>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => (e.Entity.TenantId, e.Entity.AppId, e.Entity.UserId, e.Entity.NotificationId))
            .Distinct()
            .ToList();
        foreach (var (tenantId, appId, userId, notificationId) in appending)
        {
            if (await db.ChangeLog.AnyAsync(e => e.TenantId == tenantId && e.AppId == appId && e.UserId == userId
                && e.TransactionId > transactionId && e.NotificationId == notificationId, cancellationToken))
            {
                throw new ChangeLogOrderConflictException(notificationId);
            }
        }
    }
}

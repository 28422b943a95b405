using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>
/// Saves a change to the feeds together with its change-log entries, in one transaction: the caller's, when the
/// context already has one (an atomicity group of a batch, an <c>Idempotency-Key</c> request), else one begun here.
/// </summary>
/// <remarks>
/// <para>
/// Readers never skip an entry whatever the order transactions commit in (<see cref="ChangeLogVisibility"/>). What
/// the log must also keep is the order of the changes to one notification in one feed: a link then a dismissal must
/// not read as a dismissal then a link. So on PostgreSQL a change to existing notifications first takes a
/// transaction-scoped advisory lock on each (<see cref="NotificationLocks"/>), before anything else: writers of one
/// notification commit one after another, and the feeds a PATCH or DELETE reads under the lock are the feeds it
/// changes (a concurrent link waits, or is read). An advisory lock gives the transaction no id, so the id it gets at
/// its first write is larger than that of every writer of the notification that committed before: log order is commit
/// order. A transaction that already had an id when it took the lock (an atomicity group, a request with its
/// <c>Idempotency-Key</c> record) checks instead that no entry of a later transaction precedes its own in those feeds.
/// Creates take no lock: nobody can change a notification before it exists.
/// </para>
/// <para>
/// SQLite's transactions here are <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's default), one writer at a time,
/// which gives both by itself.
/// </para>
/// </remarks>
internal static class ChangeLogCommit
{
    /// <param name="notificationIds">The existing notifications the change touches (none for a create).</param>
    /// <param name="append">Adds the entries (and may read the store to find them); runs inside the transaction, under the locks.</param>
    public static async Task SaveAsync(NotificationsDbContext db, IReadOnlyCollection<string> notificationIds, Func<CancellationToken, Task> append,
        CancellationToken cancellationToken)
    {
        if (!db.Database.IsRelational() || db.Database.CurrentTransaction is not null)
        {
            long? earlierTransaction = await NotificationLocks.TakeAsync(db, notificationIds, cancellationToken);
            await append(cancellationToken);
            if (earlierTransaction is { } transactionId)
            {
                await NotificationLocks.CheckOrderAsync(db, transactionId, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        if (notificationIds.Count == 0)
        {
            // A create: its entries need no lock, and one save is one transaction.
            await append(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await NotificationLocks.TakeAsync(db, notificationIds, cancellationToken);
        await append(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

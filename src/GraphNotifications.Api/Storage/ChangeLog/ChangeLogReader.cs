using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>
/// Reads the change log for its consumers (delta queries, change notifications). A consumer remembers the
/// <see cref="ChangeLogEntry.Position"/> of the last entry it has handled and asks for what follows; that never skips
/// an entry that commits later (<see cref="ChangeLogEntry"/> says why, on each store).
/// </summary>
public sealed class ChangeLogReader(NotificationsDbContext db)
{
    /// <summary>The entries of one feed after <paramref name="after"/>, oldest first, at most <paramref name="max"/>.</summary>
    public Task<List<ChangeLogEntry>> FeedChangesAsync(AppScope app, string userId, ChangeLogPosition after, int max, CancellationToken cancellationToken) =>
        ChangeLogVisibility.Readable(db).AsNoTracking()
            .Where(e => e.TenantId == app.TenantId && e.AppId == app.AppId && e.UserId == userId)
            .After(db, after)
            .Take(max)
            .ToListAsync(cancellationToken);

    /// <summary>Every feed's entries after <paramref name="after"/>, oldest first, at most <paramref name="max"/>.</summary>
    public Task<List<ChangeLogEntry>> ChangesAsync(ChangeLogPosition after, int max, CancellationToken cancellationToken) =>
        ChangeLogVisibility.Readable(db).AsNoTracking()
            .After(db, after)
            .Take(max)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// A position that every change committed after this call follows: a consumer that starts here sees all of them.
    /// On SQLite it is the last entry's, so no change committed before is seen either; on PostgreSQL it is where the
    /// oldest transaction still running begins, so a change that committed just before the call while an older
    /// transaction was still running may be seen too (once).
    /// </summary>
    public async Task<ChangeLogPosition> HighWaterMarkAsync(CancellationToken cancellationToken)
    {
        if (ChangeLogVisibility.OrdersByTransaction(db))
        {
            // Every entry of a transaction below the bound is complete and before the position; every other after it.
            long bound = await db.Database.SqlQueryRaw<long>($"""SELECT {ChangeLogVisibility.CompleteBelow} AS "Value" """).SingleAsync(cancellationToken);
            return new ChangeLogPosition(bound, 0);
        }

        return new ChangeLogPosition(0, await db.ChangeLog.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0);
    }
}

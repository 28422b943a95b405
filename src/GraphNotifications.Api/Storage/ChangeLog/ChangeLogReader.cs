using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>
/// Reads the change log for its consumers (delta queries, change notifications). A consumer remembers the
/// <see cref="ChangeLogEntry.Position"/> of the last entry it has handled and asks for what follows; that never skips
/// an entry that commits later (<see cref="ChangeLogEntry"/> says why, on each store).
/// </summary>
public sealed class ChangeLogReader(NotificationsDbContext db)
{
    /// <summary>
    /// The entries of one feed after <paramref name="after"/>, oldest first, at most <paramref name="max"/>, but for those
    /// of the transactions in <paramref name="alreadyShown"/> (see <see cref="FeedStartAsync"/>).
    /// </summary>
    public Task<List<ChangeLogEntry>> FeedChangesAsync(
        AppScope app, string userId, ChangeLogPosition after, IReadOnlyCollection<long> alreadyShown, int max, CancellationToken cancellationToken)
    {
        var entries = ChangeLogVisibility.Readable(db).AsNoTracking()
            .Where(e => e.TenantId == app.TenantId && e.AppId == app.AppId && e.UserId == userId);
        if (alreadyShown.Count > 0)
        {
            entries = entries.Where(e => !alreadyShown.Contains(e.TransactionId));
        }

        return entries.After(db, after).Take(max).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Where a reader of one feed starts that is about to read the feed as it is (an initial sync) or wants only what
    /// comes next: the <see cref="HighWaterMarkAsync">high-water mark</see>, and on PostgreSQL the transactions after it
    /// that have already committed entries of this feed. The feed read after this call shows their changes, so reading
    /// on from the mark skips them and gives nothing twice. Past <see cref="MaxAlreadyShown"/> of them none are listed
    /// and the next read may repeat their changes once (a delta client takes a repeated item as an update).
    /// </summary>
    public async Task<FeedStart> FeedStartAsync(AppScope app, string userId, CancellationToken cancellationToken)
    {
        var mark = await HighWaterMarkAsync(cancellationToken);
        if (!ChangeLogVisibility.OrdersByTransaction(db))
        {
            return new FeedStart(mark, []);
        }

        // Read after the mark: whatever commits between the two reads is listed too, and still precedes the feed read.
        var shown = await db.ChangeLog.AsNoTracking()
            .Where(e => e.TenantId == app.TenantId && e.AppId == app.AppId && e.UserId == userId && e.TransactionId >= mark.TransactionId)
            .Select(e => e.TransactionId)
            .Distinct()
            .Take(MaxAlreadyShown + 1)
            .ToListAsync(cancellationToken);
        return new FeedStart(mark, shown.Count <= MaxAlreadyShown ? [.. shown.Order()] : []);
    }

    /// <summary>The most transactions a <see cref="FeedStart"/> lists, which its tokens carry.</summary>
    public const int MaxAlreadyShown = 32;

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

using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>
/// Reads the change log for its consumers (delta queries, change notifications). A consumer remembers the last
/// <see cref="ChangeLogEntry.Sequence"/> it has handled and asks for what follows; since entries become visible in
/// sequence order (see <see cref="ChangeLogCommit"/>), that never skips a committed entry.
/// </summary>
public sealed class ChangeLogReader(NotificationsDbContext db)
{
    /// <summary>The entries of one feed after <paramref name="afterSequence"/>, oldest first, at most <paramref name="max"/>.</summary>
    public Task<List<ChangeLogEntry>> FeedChangesAsync(AppScope app, string userId, long afterSequence, int max, CancellationToken cancellationToken) =>
        db.ChangeLog.AsNoTracking()
            .Where(e => e.TenantId == app.TenantId && e.AppId == app.AppId && e.UserId == userId && e.Sequence > afterSequence)
            .OrderBy(e => e.Sequence)
            .Take(max)
            .ToListAsync(cancellationToken);

    /// <summary>Every feed's entries after <paramref name="afterSequence"/>, oldest first, at most <paramref name="max"/>.</summary>
    public Task<List<ChangeLogEntry>> ChangesAsync(long afterSequence, int max, CancellationToken cancellationToken) =>
        db.ChangeLog.AsNoTracking()
            .Where(e => e.Sequence > afterSequence)
            .OrderBy(e => e.Sequence)
            .Take(max)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// The largest sequence committed so far (0 for an empty log): a consumer that starts here sees every change
    /// committed after this call, and none before.
    /// </summary>
    public async Task<long> HighWaterMarkAsync(CancellationToken cancellationToken) =>
        await db.ChangeLog.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
}

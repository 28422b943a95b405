using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>Deletes change-log entries older than <see cref="ChangeLogOptions.Retention"/>, oldest first.</summary>
public sealed class ChangeLogSweeper(
    IServiceScopeFactory scopes,
    IOptions<ChangeLogOptions> options,
    TimeProvider clock,
    ILogger<ChangeLogSweeper> logger) : PeriodicSweeper(scopes, clock, logger)
{
    protected override string Rows => "change-log entries past retention";

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override int BatchSize => options.Value.SweepBatchSize;

    protected override async Task<int> DeleteBatchAsync(IServiceProvider services, int batchSize, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<NotificationsDbContext>();
        long cutoff = (Clock.GetUtcNow() - options.Value.Retention).UtcTicks;
        var old = db.ChangeLog.Where(e => e.OccurredAt < cutoff).OrderBy(e => e.Sequence).Take(batchSize);
        if (db.Database.IsRelational())
        {
            return await old.ExecuteDeleteAsync(cancellationToken);
        }

        // The in-memory provider cannot ExecuteDelete.
        var batch = await old.ToListAsync(cancellationToken);
        db.ChangeLog.RemoveRange(batch);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return batch.Count;
    }
}

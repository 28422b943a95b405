using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>
/// Deletes change-log entries older than <see cref="ChangeLogOptions.Retention"/> in the background, a batch per
/// short statement, oldest first. A failed sweep is logged and retried at the next interval.
/// </summary>
public sealed partial class ChangeLogSweeper(
    IServiceScopeFactory scopes,
    IOptions<ChangeLogOptions> options,
    TimeProvider clock,
    ILogger<ChangeLogSweeper> logger) : BackgroundService
{
    /// <summary>One sweep: batches until one is not full. Returns how many entries it deleted.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        int batchSize = options.Value.SweepBatchSize;
        long cutoff = (clock.GetUtcNow() - options.Value.Retention).UtcTicks;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        int total = 0;
        int removed;
        do
        {
            removed = await DeleteBatchAsync(db, cutoff, batchSize, cancellationToken);
            total += removed;
        }
        while (removed == batchSize);

        if (total > 0)
        {
            LogSwept(logger, total);
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static async Task<int> DeleteBatchAsync(NotificationsDbContext db, long cutoff, int batchSize, CancellationToken cancellationToken)
    {
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Change log sweep removed {Count} entries past retention")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Change log sweep failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

using GraphNotifications.Api.Telemetry;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// Deletes expired notifications (and their feed links) in the background. Reads leave an expired notification
/// out the moment it expires; this reclaims the rows. Each batch is its own short transaction, so writers wait for
/// a batch at most, never for a whole sweep. A failed sweep is logged and retried at the next interval.
/// </summary>
public sealed partial class ExpirySweeper(
    IServiceScopeFactory scopes,
    IOptions<ExpirySweepOptions> options,
    TimeProvider clock,
    GraphMetrics metrics,
    ILogger<ExpirySweeper> logger) : BackgroundService
{
    /// <summary>One sweep: batches until one is not full. Returns how many notifications it deleted.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        int batchSize = options.Value.BatchSize;
        int total = 0;
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<NotificationStore>();
        int removed;
        do
        {
            removed = await store.DeleteExpiredAsync(batchSize, cancellationToken);
            total += removed;
        }
        while (removed == batchSize);

        metrics.ExpirationsSwept(total);
        if (total > 0)
        {
            LogSwept(logger, total);
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Expiry sweep removed {Count} expired notifications")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiry sweep failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Storage.Subscriptions;

/// <summary>
/// Deletes expired subscriptions in the background, as <see cref="ExpirySweeper"/> does notifications: reads already
/// leave an expired subscription out (and delivery stops with it); this reclaims its row. Each batch is one short statement.
/// </summary>
public sealed partial class SubscriptionSweeper(
    IServiceScopeFactory scopes,
    IOptions<SubscriptionOptions> options,
    TimeProvider clock,
    ILogger<SubscriptionSweeper> logger) : BackgroundService
{
    /// <summary>One sweep: batches until one is not full. Returns how many subscriptions it deleted.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        int batchSize = options.Value.SweepBatchSize;
        int total = 0;
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<SubscriptionStore>();
        int removed;
        do
        {
            removed = await store.DeleteExpiredAsync(batchSize, cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription sweep removed {Count} expired subscriptions")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Subscription sweep failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

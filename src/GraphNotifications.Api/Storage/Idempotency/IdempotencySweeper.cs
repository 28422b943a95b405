using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Storage.Idempotency;

/// <summary>
/// Deletes expired idempotency records in the background, as <see cref="ExpirySweeper"/> does notifications: a
/// lookup already ignores an expired key; this reclaims its row. Each batch is one short statement.
/// </summary>
public sealed partial class IdempotencySweeper(
    IServiceScopeFactory scopes,
    IOptions<IdempotencyOptions> options,
    TimeProvider clock,
    ILogger<IdempotencySweeper> logger) : BackgroundService
{
    /// <summary>One sweep: batches until one is not full. Returns how many records it deleted.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        int batchSize = options.Value.SweepBatchSize;
        int total = 0;
        await using var scope = scopes.CreateAsyncScope();
        var records = scope.ServiceProvider.GetRequiredService<IdempotencyRecords>();
        int removed;
        do
        {
            removed = await records.DeleteExpiredAsync(batchSize, cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotency sweep removed {Count} expired keys")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Idempotency sweep failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

namespace GraphNotifications.Api.Storage;

/// <summary>
/// Reclaims expired rows in the background: reads already leave an expired row out the moment it expires, so a
/// sweep only frees space. Each batch is its own short transaction, so writers wait for a batch at most, never for a
/// whole sweep; a failed sweep is logged and retried at the next interval.
/// </summary>
public abstract partial class PeriodicSweeper(IServiceScopeFactory scopes, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => clock;

    /// <summary>What the sweep removes, for its log lines ("expired notifications").</summary>
    protected abstract string Rows { get; }

    protected abstract TimeSpan Interval { get; }

    protected abstract int BatchSize { get; }

    /// <summary>Deletes one batch of at most <paramref name="batchSize"/> expired rows; returns how many it deleted.</summary>
    protected abstract Task<int> DeleteBatchAsync(IServiceProvider services, int batchSize, CancellationToken cancellationToken);

    /// <summary>Called once a sweep has ended, with how many rows it deleted.</summary>
    protected virtual void Swept(int count)
    {
    }

    /// <summary>One sweep: batches until one is not full. Returns how many rows it deleted.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        int batchSize = BatchSize;
        int total = 0;
        await using var scope = scopes.CreateAsyncScope();
        int removed;
        do
        {
            removed = await DeleteBatchAsync(scope.ServiceProvider, batchSize, cancellationToken);
            total += removed;
        }
        while (removed == batchSize);

        Swept(total);
        if (total > 0)
        {
            LogSwept(logger, total, Rows);
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
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
                    LogFailed(logger, Rows, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep removed {Count} {Rows}")]
    private static partial void LogSwept(ILogger logger, int count, string rows);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweep of {Rows} failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, string rows, Exception exception);
}

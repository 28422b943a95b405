using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// After the server has drained its requests at shutdown, folds the SQLite write-ahead log into the database file
/// and empties it. Every commit is already on disk (<see cref="SqliteDurability"/>); this leaves one self-contained
/// file behind, for a backup or a copy taken while the service is down. It runs once: a host stopped by
/// its owner (a test's <c>WebApplicationFactory</c>) is also stopped by <c>app.Run</c> returning, possibly after its
/// services are disposed; every stop awaits the one checkpoint the first stop started.
/// </summary>
internal sealed partial class SqliteCheckpointOnStop(IServiceScopeFactory scopes, ILogger<SqliteCheckpointOnStop> logger) : IHostedLifecycleService
{
    private readonly Lock _gate = new();
    private Task? _checkpoint;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _checkpoint ??= CheckpointAsync(cancellationToken);
        }
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
            LogCheckpointed(logger);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown:Timeout ran out (a request outlasted it): the stop goes on without the checkpoint. Letting the
            // cancellation escape would fail the host's stop, and the process would abort instead of exiting 0.
            LogCheckpointSkipped(logger);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing is lost: the log is replayed when the store is next opened.
            LogCheckpointFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped without a checkpoint of the store's write-ahead log: the shutdown timeout ran out first; the log is replayed at the next start")]
    private static partial void LogCheckpointSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped: the store's write-ahead log is checkpointed into the database file")]
    private static partial void LogCheckpointed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped without a checkpoint of the store's write-ahead log; it is replayed at the next start")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}

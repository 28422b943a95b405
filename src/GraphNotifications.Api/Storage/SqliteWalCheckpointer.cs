using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// Folds SQLite's write-ahead log into the database file in the background. SQLite checkpoints on the writer, inside
/// the commit that takes the log past 1,000 pages: copying those pages into the database file and syncing it held
/// every create waiting behind that commit (tens of milliseconds on an 800 MB store, the POST benchmark's p99). A
/// passive checkpoint here, on its own connection every <see cref="SqliteStoreOptions.CheckpointInterval"/>, takes
/// no lock a writer or a reader needs and copies most of the log beforehand, so the writer's own checkpoint finds
/// little left to copy and sync. The writer's checkpoint stays on: only a checkpoint that finds the log fully copied
/// between two commits lets the next commit start the log over, and under steady writes that is the writer's own
/// (with it turned off the log grew to 800 MB in a 20-second benchmark). A failed checkpoint (a full disk, a
/// read-only file) loses nothing: it is logged once and tried again at the next interval.
/// </summary>
internal sealed partial class SqliteWalCheckpointer(
    IServiceScopeFactory scopes, IOptionsMonitor<SqliteStoreOptions> options, TimeProvider clock, ILogger<SqliteWalCheckpointer> logger)
    : BackgroundService
{
    private bool _failing;

    private async Task CheckpointOnceAsync(CancellationToken cancellationToken)
    {
        // Housekeeping, not a request's work: a span a second would crowd the traces.
        using var untraced = SuppressInstrumentationScope.Begin();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);", cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.CurrentValue.CheckpointInterval, clock, stoppingToken);
                try
                {
                    await CheckpointOnceAsync(stoppingToken);
                    if (_failing)
                    {
                        _failing = false;
                        LogRecovered(logger);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (!_failing)
                    {
                        _failing = true;
                        LogFailed(logger, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: SqliteCheckpointOnStop folds in the rest.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background checkpoints of the store's write-ahead log fail; nothing is lost, and the writer still checkpoints the log itself")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Background checkpoints of the store's write-ahead log succeed again")]
    private static partial void LogRecovered(ILogger logger);
}

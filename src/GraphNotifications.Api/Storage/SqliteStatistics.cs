using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// Keeps SQLite's statistics (<c>sqlite_stat1</c>) in step with the store, so that its planner picks indexes by the
/// store's real shape. Without statistics it guesses, and for <c>$filter=appNotificationId eq '…'</c> on a feed it
/// guessed wrong: it walked the whole feed in order instead of looking the id up in
/// <c>IX_Notifications_AppNotificationId</c>. A store starts empty and fills while the service runs, so statistics
/// gathered once would describe an empty store; this runs SQLite's own policy, <c>PRAGMA optimize</c>, a minute after
/// start-up (or the interval, if shorter) and then every <see cref="SqliteStoreOptions.StatisticsInterval"/>. It analyzes a table (that has rows) when one of its
/// indexes has no statistics or when it has grown or shrunk tenfold since it was analyzed, and otherwise only reads
/// each table's size. Connections load statistics when they open, so when a run has changed them the pool's
/// connections are let go and new ones plan with the new figures. A failed run (a read-only file, a full disk)
/// changes nothing: it is logged once and tried again at the next interval.
/// </summary>
public sealed partial class SqliteStatistics(
    IServiceScopeFactory scopes, IOptionsMonitor<SqliteStoreOptions> options, TimeProvider clock, ILogger<SqliteStatistics> logger)
    : BackgroundService
{
    // PRAGMA optimize's mask: 0x02 analyzes the tables that need it; 0x10 bounds each analysis with optimize's own
    // analysis limit (an estimate from a sample of each index, so a large store's analysis holds the writer for
    // milliseconds, not for a read of the whole file); 0x10000 looks at every table, not only those this connection
    // has queried (a pooled connection may have queried none, and growth would then go unnoticed).
    private const int OptimizeMask = 0x10012;

    private static readonly TimeSpan FirstRunDelay = TimeSpan.FromMinutes(1);

    private bool _failing;

    /// <summary>One run of the policy, as the background loop runs it; whether it changed the statistics.</summary>
    public async Task<bool> RefreshOnceAsync(CancellationToken cancellationToken)
    {
        // Housekeeping, not a request's work.
        using var untraced = SuppressInstrumentationScope.Begin();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            string before = await StatisticsAsync(connection, cancellationToken);
            await using (var optimize = connection.CreateCommand())
            {
                optimize.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA optimize({OptimizeMask});");
                await optimize.ExecuteNonQueryAsync(cancellationToken);
            }

            if (await StatisticsAsync(connection, cancellationToken) == before)
            {
                return false;
            }

            SqliteConnection.ClearPool(connection);
            LogAnalyzed(logger);
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Not in the first moments of a process: start-up's own writes come first, and a run racing a store that is
            // briefly read-only then took pooled connections with it (ReadOnlyStoreTests met it once). A new store's
            // migration writes statistics of its own for the index that needs them.
            var first = options.CurrentValue.StatisticsInterval;
            await Task.Delay(first < FirstRunDelay ? first : FirstRunDelay, clock, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RefreshOnceAsync(stoppingToken);
                    if (_failing)
                    {
                        _failing = false;
                        LogRecovered(logger);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A connection that opened the file while it was read-only stays so; the next run opens afresh.
                    SqliteReadOnlyConnections.ForgetAfter(ex);
                    if (!_failing)
                    {
                        _failing = true;
                        LogFailed(logger, ex);
                    }
                }

                await Task.Delay(options.CurrentValue.StatisticsInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    // What the planner reads: every row of sqlite_stat1 in one order (ANALYZE writes a table's rows anew even when its
    // figures stay the same), or nothing while the table does not exist.
    private static async Task<string> StatisticsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1';";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            return "";
        }

        command.CommandText = "SELECT group_concat(tbl || ' ' || ifnull(idx, '') || ' ' || ifnull(stat, ''), char(10) ORDER BY tbl, idx) FROM sqlite_stat1;";
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? "";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The store's statistics were gathered again (PRAGMA optimize); new connections plan with them")]
    private static partial void LogAnalyzed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gathering the store's statistics fails; queries still run, planned with the statistics the store has")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gathering the store's statistics succeeds again")]
    private static partial void LogRecovered(ILogger logger);
}

namespace GraphNotifications.Bench.Baseline;

/// <summary>
/// A passive checkpoint of the write-ahead log every second on a connection of its own, as the service runs one
/// (its SqliteWalCheckpointer): most of the log is in the database file before the writer's own checkpoint comes due.
/// </summary>
public sealed class WalCheckpointer(FeedDatabase database) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var connection = database.Open();
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                checkpoint.ExecuteNonQuery();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}

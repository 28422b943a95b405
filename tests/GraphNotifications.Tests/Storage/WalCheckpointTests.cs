using GraphNotifications.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace GraphNotifications.Tests.Storage;

/// <summary>
/// On SQLite the service folds its write-ahead log into the database file in the background, so that the commit
/// that takes the log past SQLite's 1,000-page checkpoint threshold finds little left to copy; and the log stays
/// bounded under steady writes, when only the writer's own checkpoint can start it over.
/// </summary>
public sealed class WalCheckpointTests
{
    private const int AutoCheckpointPages = 1_000;
    private const int PageBytes = 4096;

    [Fact]
    public async Task The_background_checkpointer_folds_the_log_into_the_database_file()
    {
        // Fewer pages than the writer's own threshold: only the background checkpointer copies them.
        const int Creates = 30;
        using var service = Service(checkpointInterval: TimeSpan.FromMilliseconds(100));
        var client = service.AppOnly("wal-app");
        for (int i = 0; i < Creates; i++)
        {
            await client.CreateAsync("users/wal-user/notifications");
        }

        Assert.True(new FileInfo(service.DatabasePath + "-wal").Length < AutoCheckpointPages * PageBytes, "The writer checkpointed: write fewer pages.");
        long inFile = 0;
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(10) && inFile < Creates; waited += TimeSpan.FromMilliseconds(200))
        {
            await Task.Delay(200);
            inFile = CountInDatabaseFileAlone(service.DatabasePath);
        }

        Assert.Equal(Creates, inFile);
    }

    [Fact]
    public async Task The_log_stays_bounded_under_steady_writes()
    {
        // No background checkpoint in this run: the writer's own checkpoint is what keeps the log from growing.
        using var service = Service(checkpointInterval: TimeSpan.FromHours(1));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            var client = service.AppOnly("wal-app");
            for (int i = 0; i < 100; i++)
            {
                await client.CreateAsync($"users/wal-user-{worker}/notifications");
            }
        }));

        // The log file keeps its largest size: the threshold plus the commit that crossed it, not every page written.
        long walBytes = new FileInfo(service.DatabasePath + "-wal").Length;
        Assert.True(walBytes < 2 * AutoCheckpointPages * PageBytes, $"The write-ahead log grew to {walBytes:N0} bytes.");
    }

    /// <summary>
    /// How many notifications a copy of the database file holds without the log beside it; none while the copy
    /// caught a checkpoint halfway.
    /// </summary>
    private static long CountInDatabaseFileAlone(string database)
    {
        string copy = Path.Combine(Path.GetDirectoryName(database)!, "copy-" + Guid.NewGuid().ToString("N") + ".db");
        File.Copy(database, copy);
        try
        {
            using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = """SELECT COUNT(*) FROM "Notifications";""";
            return (long)count.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    private static SqliteServiceFactory Service(TimeSpan checkpointInterval) =>
        new() { Settings = [("Storage:Sqlite:CheckpointInterval", checkpointInterval.ToString())] };
}

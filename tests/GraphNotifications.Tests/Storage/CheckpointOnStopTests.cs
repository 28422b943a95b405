using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphNotifications.Tests.Storage;

/// <summary>A service on SQLite that stops normally leaves one self-contained database file: its write-ahead log is folded in.</summary>
public sealed class CheckpointOnStopTests
{
    [Fact]
    public async Task A_normal_stop_checkpoints_the_write_ahead_log()
    {
        var sink = new LoggingTests.CapturingLoggerProvider();
        string directory = Directory.CreateTempSubdirectory("graphnotifications-checkpoint-").FullName;
        string database = Path.Combine(directory, "notifications.db");
        try
        {
            var service = new StoppableSqliteService(database, sink);
            await service.AppOnly("checkpoint-app").CreateAsync("users/checkpoint-user/notifications");
            Assert.True(new FileInfo(database + "-wal").Length > 0, "The write went to the write-ahead log first.");

            await service.DisposeAsync();

            var stopLines = sink.Lines.Where(line => line.StartsWith("GraphNotifications.Api.Storage.SqliteCheckpointOnStop", StringComparison.Ordinal)).ToList();
            Assert.True(stopLines.Count == 1 && stopLines[0].Contains("write-ahead log is checkpointed", StringComparison.Ordinal),
                string.Join(Environment.NewLine, stopLines.DefaultIfEmpty("(nothing logged by the checkpoint)")));
            var wal = new FileInfo(database + "-wal");
            Assert.True(!wal.Exists || wal.Length == 0, $"{wal.Length} bytes of write-ahead log left behind");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class StoppableSqliteService(string database, ILoggerProvider sink) : ServiceFactoryBase
    {
        protected override void ConfigureStore(IWebHostBuilder builder)
        {
            builder.UseSetting("Storage:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:Notifications", $"Data Source={database}");
            builder.ConfigureTestServices(services => services.AddLogging(logging => logging
                .AddProvider(sink)
                .AddFilter<LoggingTests.CapturingLoggerProvider>(category: null, LogLevel.Information)));
        }
    }
}

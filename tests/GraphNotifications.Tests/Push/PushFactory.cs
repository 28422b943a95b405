using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace GraphNotifications.Tests.Push;

/// <summary>The service on a SQLite file with quick push polls and retries, and a node process playing the browsers.</summary>
public sealed class PushFactory : ServiceFactoryBase
{
    private readonly string _directory = Directory.CreateTempSubdirectory("graphnotifications-push-").FullName;

    public UserAgents Agents { get; } = new();

    protected override void ConfigureStore(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Notifications", $"Data Source={Path.Combine(_directory, "notifications.db")}");
        builder.UseSetting("Push:PollInterval", "00:00:00.100");
        builder.UseSetting("Push:RetryBase", "00:00:00.100");
        builder.UseSetting("Push:RetryCap", "00:00:00.300");
        builder.UseSetting("Push:Timeout", "00:00:05");
        builder.UseSetting("Push:ClaimLease", "00:00:10");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Agents.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open: the temp folder is cleaned by the OS.
            }
        }
    }
}

using Microsoft.AspNetCore.Hosting;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>
/// The service in process on a real SQLite file, for tests whose point is what the store itself does:
/// queries the database must translate (EF Core's in-memory provider would evaluate anything), keyset paging.
/// </summary>
public class SqliteServiceFactory : ServiceFactoryBase
{
    private readonly string _directory = Directory.CreateTempSubdirectory("graphnotifications-tests-").FullName;

    /// <summary>The store's database file (its write-ahead log is beside it, with "-wal" appended).</summary>
    public string DatabasePath => Path.Combine(_directory, "notifications.db");

    protected override void ConfigureStore(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Notifications", $"Data Source={DatabasePath}");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
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

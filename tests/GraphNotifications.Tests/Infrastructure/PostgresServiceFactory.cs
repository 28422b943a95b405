using Microsoft.AspNetCore.Hosting;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>
/// The service in process on a real PostgreSQL database of its own (<see cref="PostgresTestDatabase"/>), for tests
/// whose point is what the store itself does.
/// </summary>
public sealed class PostgresServiceFactory : ServiceFactoryBase
{
    public PostgresTestDatabase Database { get; } = new();

    protected override void ConfigureStore(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Provider", "Postgres");
        builder.UseSetting("ConnectionStrings:Notifications", Database.ConnectionString);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Database.Dispose();
        }
    }
}

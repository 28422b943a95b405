using Microsoft.AspNetCore.Hosting;
using Xunit.Abstractions;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>
/// The service in process on a real PostgreSQL database of its own (<see cref="PostgresTestDatabase"/>), for tests
/// whose point is what the store itself does.
/// </summary>
/// <param name="diagnostics">xunit's diagnostic sink, for the database's note when no server is configured.</param>
public class PostgresServiceFactory(IMessageSink diagnostics) : ServiceFactoryBase
{
    public PostgresTestDatabase Database { get; } = new(diagnostics);

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

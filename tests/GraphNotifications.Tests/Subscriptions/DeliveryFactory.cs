using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace GraphNotifications.Tests.Subscriptions;

/// <summary>
/// The service on a SQLite file with delivery settings for tests: quick polls and retries, a retry window chosen by
/// the subclass, and an expiry sweep every second.
/// </summary>
public abstract class DeliveryFactory(TimeSpan retryWindow, TimeSpan? pollInterval = null) : ServiceFactoryBase
{
    private readonly string _directory = Directory.CreateTempSubdirectory("graphnotifications-delivery-").FullName;

    protected override void ConfigureStore(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Notifications", $"Data Source={Path.Combine(_directory, "notifications.db")}");
        builder.UseSetting("Storage:ExpirySweep:Interval", "00:00:01");
        builder.UseSetting("Subscriptions:Delivery:PollInterval", (pollInterval ?? TimeSpan.FromMilliseconds(100)).ToString());
        builder.UseSetting("Subscriptions:Delivery:RetryBase", "00:00:00.100");
        builder.UseSetting("Subscriptions:Delivery:RetryCap", "00:00:00.300");
        builder.UseSetting("Subscriptions:Delivery:RetryWindow", retryWindow.ToString());
        builder.UseSetting("Subscriptions:Delivery:Timeout", "00:00:02");
        builder.UseSetting("Subscriptions:Delivery:ClaimLease", "00:00:05");
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

/// <summary>Deliveries retried for an hour: no test waits that long.</summary>
public sealed class DeliveryServiceFactory() : DeliveryFactory(TimeSpan.FromHours(1));

/// <summary>Polls once a minute only: what is delivered sooner was woken by the commit.</summary>
public sealed class SlowPollDeliveryFactory() : DeliveryFactory(TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));

/// <summary>Deliveries retried for two seconds only, so a test sees a subscription marked failed.</summary>
public sealed class ShortRetryDeliveryFactory() : DeliveryFactory(TimeSpan.FromSeconds(2));

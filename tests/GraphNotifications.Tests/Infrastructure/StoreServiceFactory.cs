using GraphNotifications.Api.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>
/// The service in process with control over its store and its clock: EF Core's in-memory store or a real SQLite
/// file in a temporary folder, the clock a <see cref="FakeTimeProvider"/> that tests move forward, a
/// <see cref="SaveGate"/> that can hold writers at the store's door, and direct access to the store's rows. The
/// expiry sweeper's interval is a day, so that it never runs by itself unless a test asks for it.
/// </summary>
public abstract class StoreServiceFactory : WebApplicationFactory<Program>
{
    private readonly bool _sqlite;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "graphnotifications-tests-" + Guid.NewGuid().ToString("N"));
    private readonly string _database = "tests-" + Guid.NewGuid().ToString("N");

    protected StoreServiceFactory(bool sqlite)
    {
        _sqlite = sqlite;
    }

    /// <summary>The service's clock, starting at the real time; only tests move it.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public SaveGate Gate { get; } = new();

    public string ConnectionString => _sqlite ? $"Data Source={Path.Combine(_folder, "x.db")}" : _database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:Provider", _sqlite ? "Sqlite" : "InMemory");
        builder.UseSetting("ConnectionStrings:Notifications", ConnectionString);
        builder.UseSetting("Storage:ExpirySweep:Interval", "1.00:00:00");
        builder.UseSetting("Storage:ExpirySweep:BatchSize", "2");
        foreach (var (key, value) in TestTokens.BearerSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            // Each provider has its own context type (and options); the gate joins whichever this factory runs.
            services.ConfigureDbContext<SqliteNotificationsDbContext>(db => db.AddInterceptors(Gate));
            services.ConfigureDbContext<InMemoryNotificationsDbContext>(db => db.AddInterceptors(Gate));
        });
    }

    /// <summary>A client whose token outlives any time the tests move the clock by.</summary>
    public HttpClient Delegated(string userId, string appId) =>
        ClientWith(TestTokens.Delegated(userId, appId, tweak: d => d.Expires = DateTime.UtcNow.AddDays(2)));

    public HttpClient AppOnly(string appId) =>
        ClientWith(TestTokens.AppOnly(appId, tweak: d => d.Expires = DateTime.UtcNow.AddDays(2)));

    public HttpClient ClientWith(string token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost/v1.0/") });
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>One sweep of the service's expiry sweeper, as its background loop runs it.</summary>
    public Task<int> SweepAsync() => Services.GetRequiredService<ExpirySweeper>().SweepOnceAsync(CancellationToken.None);

    public Task<bool> RowExistsAsync(string notificationId) =>
        this.InStoreAsync(db => db.Notifications.AsNoTracking().AnyAsync(n => n.Id == notificationId));

    public Task<int> LinkCountAsync(string notificationId) =>
        this.InStoreAsync(db => db.Links.AsNoTracking().CountAsync(l => l.NotificationId == notificationId));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _sqlite)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder; the OS reclaims it.
            }
        }
    }
}

/// <summary>The service on a SQLite file (a temporary one), as it runs in production.</summary>
public sealed class SqliteStoreFactory() : StoreServiceFactory(sqlite: true);

/// <summary>The service on EF Core's in-memory store.</summary>
public sealed class InMemoryStoreFactory() : StoreServiceFactory(sqlite: false);

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>
/// The service in process, trusting <see cref="TestTokens"/>, on a fresh store per factory. Tests stay independent
/// by using their own app and user ids. A test's own service (streams with a short heartbeat, a fake clock) is one
/// of the store's factories with <see cref="Settings"/> and <see cref="TestServices"/>, not a factory of its own.
/// </summary>
public abstract class ServiceFactoryBase : WebApplicationFactory<Program>
{
    /// <summary>More settings for the service, such as a setting under test; they override the store's.</summary>
    public IReadOnlyList<(string Key, string Value)> Settings { get; init; } = [];

    /// <summary>Services a test adds or replaces, after the service's own (a fake clock, a test middleware).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected abstract void ConfigureStore(IWebHostBuilder builder);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // The tests' webhook receivers listen on loopback; SubscriptionUrlTests turns this off again.
        builder.UseSetting("Subscriptions:AllowPrivateNotificationUrls", "true");
        // The tests' push services listen on loopback too, over plain http.
        builder.UseSetting("Push:AllowPrivateEndpoints", "true");
        builder.UseSetting("Push:RequireHttps", "false");
        ConfigureStore(builder);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in BearerSettings())
        {
            builder.UseSetting(key, value);
        }

        if (TestServices is not null)
        {
            builder.ConfigureTestServices(TestServices);
        }
    }

    /// <summary>The <c>Authentication:Schemes:Bearer</c> settings: by default, those that trust <see cref="TestTokens"/>.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> BearerSettings() => TestTokens.BearerSettings();

    /// <summary>A client that sends <paramref name="token"/> on every request (none when null).</summary>
    public HttpClient ClientWith(string? token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost/v1.0/") });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    public HttpClient Delegated(string userId, string appId) => ClientWith(TestTokens.Delegated(userId, appId));

    public HttpClient AppOnly(string appId) => ClientWith(TestTokens.AppOnly(appId));
}

/// <summary>The service on EF Core's in-memory store: fast, for behaviour that does not depend on the store.</summary>
public sealed class ServiceFactory : ServiceFactoryBase
{
    private readonly string _database = "tests-" + Guid.NewGuid().ToString("N");

    protected override void ConfigureStore(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Provider", "InMemory");
        builder.UseSetting("ConnectionStrings:Notifications", _database);
    }
}

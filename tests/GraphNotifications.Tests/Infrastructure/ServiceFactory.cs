using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>
/// The service in process, on EF Core's in-memory store (a fresh database per factory), trusting
/// <see cref="TestTokens"/>. Tests stay independent by using their own app and user ids.
/// </summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    private readonly string _database = "tests-" + Guid.NewGuid().ToString("N");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:Provider", "InMemory");
        builder.UseSetting("ConnectionStrings:Notifications", _database);
        foreach (var (key, value) in TestTokens.BearerSettings())
        {
            builder.UseSetting(key, value);
        }
    }

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

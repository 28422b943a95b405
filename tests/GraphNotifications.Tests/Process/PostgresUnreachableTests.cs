using System.Net;
using GraphNotifications.Tests.Infrastructure;
using Npgsql;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// A PostgreSQL server the service cannot reach (the network to it cut, through a <see cref="TcpRelay"/>): writes are
/// 503s with a Graph error, <c>/health/ready</c> answers 503 because the store does not open while
/// <c>/health/live</c> stays 200, and once the server can be reached again the service takes writes and is ready
/// without a restart.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class PostgresUnreachableTests : IClassFixture<PostgresTestDatabase>
{
    private const string App = "pg-unreachable-app", User = "pg-unreachable-user";
    private const int Attempts = 100;

    private readonly PostgresTestDatabase _database;

    public PostgresUnreachableTests(PostgresTestDatabase database)
    {
        database.SkipUnlessAvailable();
        _database = database;
    }

    [SkippableFact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task An_unreachable_server_makes_writes_and_readiness_503_and_the_service_recovers_when_it_is_back()
    {
        var target = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        await using var relay = new TcpRelay(target.Host!, target.Port);
        var throughRelay = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Host = "127.0.0.1", Port = relay.Port };
        await using var service = await ServiceProcess.StartOnPostgresAsync(throughRelay.ConnectionString);
        using var client = service.Delegated(User, App);
        using var anonymous = service.ClientWith(token: null);
        var stored = new List<string> { await client.CreateAsync("me/notifications") };
        var ready = new Uri(service.BaseAddress, "/health/ready");

        relay.Cut();

        var refused = await client.PostAsync("me/notifications", Bodies.Minimal("refused"));
        await service.AssertStatusAsync(HttpStatusCode.ServiceUnavailable, refused);
        Assert.Equal("serviceUnavailable", (await refused.ReadObjectAsync()).ErrorCode());
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "A 503 for an unreachable store carries Retry-After.");
        var notReady = await anonymous.GetAsync(ready);
        await service.AssertStatusAsync(HttpStatusCode.ServiceUnavailable, notReady);
        Assert.Equal("Unhealthy", await notReady.Content.ReadAsStringAsync());
        await service.AssertStatusAsync(HttpStatusCode.OK, await anonymous.GetAsync(new Uri(service.BaseAddress, "/health/live")));

        relay.Restore();

        var resumed = await client.PostOnceWritableAsync(Bodies.Minimal("after"), Attempts);
        await service.AssertStatusAsync(HttpStatusCode.Created, resumed);
        stored.Add((await resumed.ReadObjectAsync())["id"]!.GetValue<string>());
        await service.AssertStatusAsync(HttpStatusCode.OK, await anonymous.GetAsync(ready));
        Assert.Equal(stored.Order(), (await client.ReadAllAsync("me/notifications?$select=id")).Select(n => n["id"]!.GetValue<string>()).Order());
    }
}

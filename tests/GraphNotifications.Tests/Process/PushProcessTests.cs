using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using GraphNotifications.Tests.Push;
using Xunit.Abstractions;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// Web Push with the real service process: a SIGKILL while pushes are in flight loses none (each reaches each
/// endpoint at least once, signed with the VAPID key the store kept across the restart), and two instances on one
/// PostgreSQL database split the pushes, none sent by both (<see cref="PostgresPushProcessTests"/>).
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class PushProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly UserAgents _agents = new();

    /// <summary>Loopback push services over http (the process runs in Production), and a short lease so a killed instance's claims lapse within seconds.</summary>
    public static readonly string[] Settings =
    [
        "Push:AllowPrivateEndpoints=true",
        "Push:RequireHttps=false",
        "Push:Timeout=00:00:01",
        "Push:ClaimLease=00:00:03",
        "Push:RetryBase=00:00:00.100",
        "Push:RetryCap=00:00:00.500",
        "Push:PollInterval=00:00:00.100",
    ];

    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task Pushes_in_flight_when_the_service_is_killed_all_arrive_after_the_restart()
    {
        await using var service = await ServiceProcess.StartAsync(settings: Settings);
        await using var stub = await StartStubAsync(_agents, service);
        using var user = service.Delegated("push-kill-user", "push-kill-app");
        string[] devices = ["laptop", "phone", "tablet"];
        await RegisterAsync(stub, user, "me/pushEndpoints", devices);
        stub.Delay = TimeSpan.FromMilliseconds(300);
        var ids = new List<string>();
        for (int i = 0; i < 10; i++)
        {
            ids.Add(await user.CreateAsync("me/notifications", Bodies.Minimal($"n{i}")));
        }

        await stub.WaitForAsync(r => r.Length >= 3, TimeSpan.FromSeconds(30));
        service.Kill();
        stub.Delay = TimeSpan.Zero;
        await service.RestartAsync();

        var received = await stub.WaitForAsync(r => Delivered(r).Count == ids.Count * devices.Length, TimeSpan.FromSeconds(60));
        output.WriteLine($"SIGKILL mid-delivery: {ids.Count * devices.Length} pushes, {received.Length} requests, {received.Length - Delivered(received).Count} duplicates");
        Assert.All(received, r => Assert.Null(r.VapidProblem));
        Assert.All(received, r => Assert.Null(r.DecryptError));
        foreach (string device in devices)
        {
            // In order per endpoint: the first arrival of each notification follows the creation order.
            var firsts = received.Where(r => r.Subscription == device).Select(r => r.Payload!["id"]!.GetValue<string>()).Distinct().ToList();
            Assert.Equal(ids, firsts);
        }
    }

    public void Dispose() => _agents.Dispose();

    internal static async Task<PushServiceStub> StartStubAsync(UserAgents agents, ServiceProcess service)
    {
        using var anonymous = service.ClientWith(null);
        var key = await anonymous.GetFromJsonAsync<JsonObject>("pushEndpoints/vapidPublicKey");
        return await PushServiceStub.StartAsync(agents, key!["publicKey"]!.GetValue<string>());
    }

    internal static async Task RegisterAsync(PushServiceStub stub, HttpClient client, string url, IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            var (_, body) = await stub.SubscribeAsync(name);
            await client.CreateAsync(url, body);
        }
    }

    /// <summary>Each (endpoint, notification) received at least once.</summary>
    internal static HashSet<(string, string)> Delivered(ReceivedPush[] received) =>
        [.. received.Where(r => r.Payload is not null).Select(r => (r.Subscription, r.Payload!["id"]!.GetValue<string>()))];
}

/// <summary>
/// Two service processes on one PostgreSQL database: pushes made through either are claimed in batches by both
/// (<c>FOR UPDATE SKIP LOCKED</c>), each instance sends some of them, and every push reaches its endpoint once, in
/// order. Each instance signs with its own <c>Push:VapidSubject</c> (the JWT's <c>sub</c>, which the push service
/// reads once the signature verifies): that is how the push service tells who sent a push.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class PostgresPushProcessTests : IClassFixture<PostgresTestDatabase>, IDisposable
{
    private readonly PostgresTestDatabase _database;
    private readonly ITestOutputHelper _output;
    private readonly UserAgents _agents;

    public PostgresPushProcessTests(PostgresTestDatabase database, ITestOutputHelper output)
    {
        database.SkipUnlessAvailable();
        _database = database;
        _output = output;
        _agents = new UserAgents();
    }

    [SkippableFact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task Two_instances_on_PostgreSQL_split_the_pushes_and_send_none_twice()
    {
        // Steady state: a timeout and a lease no send on this loaded machine comes near, so a second send could only be
        // a second claim.
        // At most SendBatchSize pushes in flight per instance, fewer than the endpoints: one instance cannot claim them all.
        const int batch = 4;
        string[] settings = [.. PushProcessTests.Settings, "Push:Timeout=00:00:15", "Push:ClaimLease=00:01:00", $"Push:SendBatchSize={batch}"];
        const string firstSubject = "mailto:first@push.test", secondSubject = "mailto:second@push.test";
        await using var first = await ServiceProcess.StartOnPostgresAsync(_database.ConnectionString, [.. settings, $"Push:VapidSubject={firstSubject}"]);
        await using var second = await ServiceProcess.StartOnPostgresAsync(_database.ConnectionString, [.. settings, $"Push:VapidSubject={secondSubject}"]);
        await using var stub = await PushProcessTests.StartStubAsync(_agents, first);
        using var throughFirst = first.AppOnly("push-pg-app");
        using var throughSecond = second.AppOnly("push-pg-app");
        string[] users = ["pg-u1", "pg-u2", "pg-u3", "pg-u4"];
        foreach (string user in users)
        {
            await PushProcessTests.RegisterAsync(stub, throughFirst, $"users/{user}/pushEndpoints", [$"{user}-a", $"{user}-b"]);
        }

        // The first pushes are held until more are in flight at once than one instance may send: both must be sending
        // (an event, not a race the second could lose on a slow machine); after that each is held a little, so both
        // keep having pushes to claim while the other sends.
        stub.HoldUntilInFlight(batch + 1);
        stub.Delay = TimeSpan.FromMilliseconds(50);
        var ids = new List<(string User, string Id)>();
        for (int i = 0; i < 40; i++)
        {
            string user = users[i % users.Length];
            ids.Add((user, await (i % 2 == 0 ? throughFirst : throughSecond).CreateAsync($"users/{user}/notifications", Bodies.Minimal($"n{i}"))));
        }

        var received = await stub.WaitForAsync(r => PushProcessTests.Delivered(r).Count == ids.Count * 2, TimeSpan.FromSeconds(60));
        int duplicates = received.Length - PushProcessTests.Delivered(received).Count;
        int byFirst = received.Count(r => r.VapidSubject == firstSubject), bySecond = received.Count(r => r.VapidSubject == secondSubject);
        _output.WriteLine($"two instances: {ids.Count * 2} pushes, {received.Length} requests, {duplicates} duplicates; sent by the first {byFirst}, by the second {bySecond}");
        Assert.Equal(0, duplicates);
        Assert.All(received, r => Assert.Null(r.VapidProblem));
        Assert.True(byFirst > 0 && bySecond > 0, $"one instance sent every push: the first {byFirst}, the second {bySecond}");
        Assert.Equal(received.Length, byFirst + bySecond);
        foreach (string user in users)
        {
            var expected = ids.Where(i => i.User == user).Select(i => i.Id).ToList();
            Assert.Equal(expected, received.Where(r => r.Subscription == $"{user}-a").Select(r => r.Payload!["id"]!.GetValue<string>()));
            Assert.Equal(expected, received.Where(r => r.Subscription == $"{user}-b").Select(r => r.Payload!["id"]!.GetValue<string>()));
        }
    }

    public void Dispose() => _agents.Dispose();
}

using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Bench.Harness.FanOut;

/// <summary>
/// The fan-out's pushes: one <c>webPush</c> endpoint per recipient at a push service on loopback
/// (<see cref="PushServiceCounter"/>), then the link run for those recipients, and the time from the first call until
/// every endpoint had its push.
/// </summary>
internal static partial class FanOutBench
{
    /// <summary>Endpoints copied per SaveChanges.</summary>
    private const int EndpointsPerSave = 5_000;

    /// <summary>How long the bench waits for the next push before it reports the endpoints not reached.</summary>
    private static readonly TimeSpan NoProgressLimit = TimeSpan.FromMinutes(3);

    private sealed record PushRun(string Store, LinkRun Links, int Endpoints, int Reached, int Duplicates, int Malformed, int Chunked,
        double RegisterSeconds, double SecondsToFirst, double SecondsToLast, int PeakPending, double ServiceCpuSeconds, double HarnessCpuSeconds)
    {
        /// <summary>Endpoints reached a second, from the first push's arrival to the last endpoint's first.</summary>
        public double PushesPerSecond => Reached / (SecondsToLast - SecondsToFirst);
    }

    /// <summary>Where a run's store is, for the endpoints' copies and the outbox's depth: the service's own storage code on it.</summary>
    private sealed record PushStore(string Name, string Provider, string ConnectionString);

    private static async Task<PushRun> PushesAsync(Target target, PushStore store, Settings settings, Action<string> log)
    {
        int total = settings.Calls * settings.PerCall;
        await using var stub = await PushServiceCounter.StartAsync(total);
        await using var storage = StorageServices(store);
        const string prefix = "pushed";

        var registering = Stopwatch.StartNew();
        await RegisterEndpointsAsync(target, storage, stub, prefix, total);
        double registerSeconds = registering.Elapsed.TotalSeconds;
        log($"{total} push endpoints on {store.Name} in {registerSeconds:0.0} s");

        double cpuBefore = target.CpuMilliseconds() ?? double.NaN;
        double harnessCpuBefore = PushCeiling.ProcessCpuSeconds();
        int peakPending = 0;
        using var stopSampling = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                try
                {
                    await using var scope = storage.CreateAsyncScope();
                    int pending = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().PendingPushes.CountAsync(stopSampling.Token);
                    peakPending = Math.Max(peakPending, pending);
                    await Task.Delay(TimeSpan.FromSeconds(1), stopSampling.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        long start = Stopwatch.GetTimestamp();
        var links = await LinksAsync(target, store.Name, settings, prefix, log);
        int lastSeen = -1;
        var quiet = Stopwatch.StartNew();
        while (stub.Reached < total && quiet.Elapsed < NoProgressLimit)
        {
            int seen = stub.Reached + stub.Duplicates;
            if (seen != lastSeen)
            {
                (lastSeen, quiet) = (seen, Stopwatch.StartNew());
            }

            await Task.Delay(20);
        }

        double cpuSeconds = ((target.CpuMilliseconds() ?? double.NaN) - cpuBefore) / 1000;
        double harnessCpuSeconds = PushCeiling.ProcessCpuSeconds() - harnessCpuBefore;
        await stopSampling.CancelAsync();
        await sampling;
        double Since(long at) => at == 0 ? double.NaN : Stopwatch.GetElapsedTime(start, at).TotalSeconds;
        var run = new PushRun(store.Name, links, total, stub.Reached, stub.Duplicates, stub.Malformed, stub.Chunked, registerSeconds,
            Since(stub.FirstAt), Since(stub.LastFirstAt), peakPending, cpuSeconds, harnessCpuSeconds);
        log($"pushes on {store.Name}: {run.Reached}/{total} endpoints reached, {run.Duplicates} duplicates, {run.Malformed} malformed, {run.Chunked} chunked, " +
            $"the last {run.SecondsToLast:0.00} s after the first call began ({run.PushesPerSecond:0} pushes/s), at most {peakPending} pending");
        return run;
    }

    /// <summary>
    /// One endpoint per recipient, as a browser registers it: the first through the API (<c>POST users/{id}/pushEndpoints</c>,
    /// validated and stored by the service), the others copied from its stored row with their own id, user and URL, through
    /// the service's own DbContext. Registration is not what is timed, and the copies are the rows the API writes. They
    /// share the first one's keys: the push service here does not decrypt, and the service's work per push is the same
    /// (a new ephemeral key and salt each time, whatever the recipient's key).
    /// </summary>
    private static async Task RegisterEndpointsAsync(Target target, ServiceProvider storage, PushServiceCounter stub, string prefix, int count)
    {
        using var browserKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var point = browserKey.ExportParameters(includePrivateParameters: false).Q;
        var body = new JsonObject
        {
            ["endpoint"] = stub.EndpointUrl(0),
            ["expirationTime"] = null,
            ["keys"] = new JsonObject
            {
                ["p256dh"] = Base64Url.EncodeToString([0x04, .. point.X!, .. point.Y!]),
                ["auth"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            },
            ["platformType"] = "webPush",
        };
        using var app = Client(target, Tokens.AppOnly());
        using var response = await app.PostAsync($"users/{User(prefix, 0)}/pushEndpoints", Json(body.ToJsonString()));
        string text = await response.Content.ReadAsStringAsync();
        string id = response.StatusCode == HttpStatusCode.Created
            ? JsonNode.Parse(text)!["id"]!.GetValue<string>()
            : throw new InvalidOperationException($"Registering a push endpoint answered {(int)response.StatusCode}: {text}");

        await using var scope = storage.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var template = await db.PushEndpoints.AsNoTracking().SingleAsync(e => e.Id == id);
        for (int first = 1; first < count; first += EndpointsPerSave)
        {
            for (int i = first; i < Math.Min(count, first + EndpointsPerSave); i++)
            {
                db.PushEndpoints.Add(new PushEndpoint
                {
                    Id = Guid.NewGuid().ToString(),
                    TenantId = template.TenantId,
                    AppId = template.AppId,
                    UserId = User(prefix, i),
                    PlatformType = template.PlatformType,
                    Endpoint = stub.EndpointUrl(i),
                    Keys = new PushEndpointKeys { P256dh = template.Keys.P256dh, Auth = template.Keys.Auth },
                    CreatedDateTime = template.CreatedDateTime,
                });
            }

            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    private static ServiceProvider StorageServices(PushStore store)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = store.Provider,
                [$"ConnectionStrings:{StorageExtensions.ConnectionStringName}"] = store.ConnectionString,
            })
            .Build();
        return new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddNotificationsStorage(configuration)
            .BuildServiceProvider();
    }
}

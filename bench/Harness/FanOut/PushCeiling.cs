using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;

namespace GraphNotifications.Bench.Harness.FanOut;

/// <summary>
/// The pushes' ceiling: the library the service sends with (Lib.Net.Http.WebPush), alone in the harness, sending
/// pushes of the service's size to the same kind of push service (<see cref="PushServiceCounter"/>), as many at a time
/// as the service's worker (<c>Push:SendBatchSize</c>, 32): each encrypted with <c>aes128gcm</c> to a browser's key
/// and signed with a VAPID key, with no store. What a push costs in protocol work, beside what it costs the service.
/// </summary>
internal static class PushCeiling
{
    private const int Concurrency = 32;

    public sealed record Run(int Pushes, int Reached, int Duplicates, int Malformed, double Seconds, double CpuSeconds)
    {
        public double PushesPerSecond => Reached / Seconds;
    }

    public static async Task<Run> RunAsync(int pushes)
    {
        await using var stub = await PushServiceCounter.StartAsync(pushes);
        using var browser = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var point = browser.ExportParameters(includePrivateParameters: false).Q;
        var keys = new Dictionary<string, string>
        {
            ["p256dh"] = Base64Url.EncodeToString([0x04, .. point.X!, .. point.Y!]),
            ["auth"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
        };
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var vapidKey = signer.ExportParameters(includePrivateParameters: true);
        using var vapid = new VapidAuthentication(
            Base64Url.EncodeToString([0x04, .. vapidKey.Q.X!, .. vapidKey.Q.Y!]), Base64Url.EncodeToString(vapidKey.D!))
        {
            Subject = "mailto:bench@graphnotifications.invalid",
        };
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency });
        var client = new PushServiceClient(http) { AutoRetryAfter = false, DefaultAuthentication = vapid, DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid };

        double cpuBefore = ProcessCpuSeconds();
        var clock = Stopwatch.StartNew();
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < pushes)
            {
                // About the service's payload: a show with a title, a body and the feed URL.
                string payload = $$"""{"action":"show","id":"{{Guid.NewGuid()}}","title":"fan-out","body":null,"priority":"None","group":null,"displayTimeToLive":null,"url":"/v1.0/me/notifications/{{n.ToString(CultureInfo.InvariantCulture)}}"}""";
                var subscription = new PushSubscription { Endpoint = stub.EndpointUrl(n), Keys = keys };
                await client.RequestPushMessageDeliveryAsync(subscription, new PushMessage(payload) { TimeToLive = 3600, Urgency = PushMessageUrgency.Normal });
            }
        })));
        double seconds = clock.Elapsed.TotalSeconds;
        return new Run(pushes, stub.Reached, stub.Duplicates, stub.Malformed, seconds, ProcessCpuSeconds() - cpuBefore);
    }

    public static double ProcessCpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }
}

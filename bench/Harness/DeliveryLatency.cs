using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace GraphNotifications.Bench.Harness;

/// <summary>The delivery-latency figures: from a create's 201 to its change notification at the webhook.</summary>
internal sealed record DeliveryLatencyResult(int Creates, double RatePerSecond, int Delivered, double P50Ms, double P99Ms, double MaxMs, int BeforeThe201);

/// <summary>
/// Scenario 6, delivery latency (service only; the ceiling has no subscriptions): a webhook receiver in the harness
/// (<see cref="HttpListener"/> on loopback, answering the validation handshake and 202 to notifications), one
/// subscription to a feed, creates into that feed at a moderate rate, one at a time; for each, the time from the
/// 201 reaching the harness to the notification reaching the receiver. A notification that arrives before its
/// 201 counts as 0 ms (the service delivers after the commit, and may be quicker than its own answer).
/// </summary>
/// <remarks>With <paramref name="alsoThrough"/>, a second instance on the same database, creates alternate between the two.</remarks>
internal sealed class DeliveryLatency(Target service, Action<string> log, Target? alsoThrough = null)
{
    private const string User = "delivery-user";

    public async Task<DeliveryLatencyResult> RunAsync(int creates, double ratePerSecond, CancellationToken cancellationToken)
    {
        int port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var arrivals = new Dictionary<string, long>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = ReceiveAsync(listener, arrivals, stop.Token);

        using var http = new HttpClient { BaseAddress = new Uri(service.Root, "v1.0/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Delegated(User));
        var subscription = new JsonObject
        {
            ["changeType"] = "created",
            ["notificationUrl"] = $"http://127.0.0.1:{port}/webhook",
            ["resource"] = "me/notifications",
            ["expirationDateTime"] = DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
            ["clientState"] = "bench",
        };
        using (var subscribed = await http.PostAsync("subscriptions", Json(subscription.ToJsonString()), cancellationToken))
        {
            if (subscribed.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"The service answered the subscription with {(int)subscribed.StatusCode}: {await subscribed.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        using var other = alsoThrough is null ? null : new HttpClient { BaseAddress = new Uri(alsoThrough.Root, "v1.0/"), Timeout = TimeSpan.FromSeconds(30) };
        other?.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Delegated(User));
        var answered = new Dictionary<string, long>();
        string body = """{"targetHostName":"bench.example","payload":{"visualContent":{"title":"delivery latency"}}}""";
        var interval = TimeSpan.FromSeconds(1 / ratePerSecond);
        var pace = Stopwatch.StartNew();
        for (int i = 0; i < creates; i++)
        {
            var due = interval * i - pace.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            using var response = await (other is not null && i % 2 == 1 ? other : http).PostAsync("me/notifications", Json(body), cancellationToken);
            long at = Stopwatch.GetTimestamp();
            string text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"A create answered {(int)response.StatusCode}: {text}");
            }

            answered[JsonNode.Parse(text)!["id"]!.GetValue<string>()] = at;
        }

        // Whatever is still on its way: a few seconds at most.
        var wait = Stopwatch.StartNew();
        while (wait.Elapsed < TimeSpan.FromSeconds(10) && Count(arrivals) < creates)
        {
            await Task.Delay(50, cancellationToken);
        }

        await stop.CancelAsync();
        listener.Stop();
        await receiving;

        var latencies = new List<double>();
        int early = 0;
        lock (arrivals)
        {
            foreach (var (id, created) in answered)
            {
                if (arrivals.TryGetValue(id, out long arrived))
                {
                    double ms = Stopwatch.GetElapsedTime(created, arrived).TotalMilliseconds;
                    early += arrived < created ? 1 : 0;
                    latencies.Add(Math.Max(0, arrived < created ? 0 : ms));
                }
            }
        }

        latencies.Sort();
        var result = new DeliveryLatencyResult(creates, ratePerSecond, latencies.Count, Percentile(latencies, 0.5), Percentile(latencies, 0.99),
            latencies.Count > 0 ? latencies[^1] : double.NaN, early);
        log($"6. delivery latency: {result.Delivered}/{creates} delivered, p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, max {result.MaxMs:0.0} ms");
        return result;
    }

    private static async Task ReceiveAsync(HttpListener listener, Dictionary<string, long> arrivals, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            long at = Stopwatch.GetTimestamp();
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            string text = await reader.ReadToEndAsync(cancellationToken);
            if (context.Request.QueryString["validationToken"] is { } token)
            {
                context.Response.ContentType = "text/plain";
                byte[] bytes = Encoding.UTF8.GetBytes(token);
                await context.Response.OutputStream.WriteAsync(bytes, cancellationToken);
            }
            else
            {
                lock (arrivals)
                {
                    foreach (var item in JsonNode.Parse(text)!["value"]!.AsArray())
                    {
                        arrivals.TryAdd(item!["resourceData"]!["id"]!.GetValue<string>(), at);
                    }
                }

                context.Response.StatusCode = (int)HttpStatusCode.Accepted;
            }

            context.Response.Close();
        }
    }

    private static int Count(Dictionary<string, long> arrivals)
    {
        lock (arrivals)
        {
            return arrivals.Count;
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using GraphNotifications.Bench.Harness.Postgres;

namespace GraphNotifications.Bench.Harness.FanOut;

/// <summary>
/// Fan-out's figures (bench/run-fanout.sh; <c>--fanout</c>), on an empty store of each kind:
/// <list type="number">
/// <item>links: <c>--calls</c> calls of <c>addRecipients</c> with <c>--per-call</c> new users each (100,000 in 10
/// calls; smoke 100 in one), one at a time: the link rate, beside the ceiling (bench/Baseline) doing the same insert;</item>
/// <item>webhooks: the same with <c>--webhooks</c> subscriptions (1,000) on feeds the calls reach, spread over
/// them: the link rate, and the time from the first call to the last change notification at the harness's
/// receiver;</item>
/// <item>other writers: creates from 8 connections, alone and then while 10,000-recipient calls run back to back:
/// their p50, p99 and max, what a fan-out does to everyone else's writes;</item>
/// <item>pushes: one <c>webPush</c> endpoint per recipient at a push service on loopback, the same calls for those
/// recipients, and the time from the first call until every endpoint had its push (FanOutBench.Push.cs).</item>
/// </list>
/// SQLite for the service and the ceiling; PostgreSQL (a throwaway cluster) for the service, unless <c>--smoke</c>.
/// </summary>
internal static partial class FanOutBench
{
    private const int Writers = 8;

    private sealed record Settings(bool Smoke, int Calls, int PerCall, int Webhooks, TimeSpan Phase, int BigCall);

    private sealed record LinkRun(string Target, string Store, int Links, double Seconds, double P50CallMs, double MaxCallMs)
    {
        public double Rate => Links / Seconds;
    }

    private sealed record WebhookRun(string Store, LinkRun Links, int Subscriptions, int Delivered, double SecondsToLastDelivery);

    private sealed record Writes(int Count, double PerSecond, double P50Ms, double P99Ms, double MaxMs);

    private sealed record WriterRun(string Target, string Store, Writes Alone, Writes WithFanOut, int FanOutCalls, double FanOutCallP50Ms, double FanOutCallMaxMs);

    public static async Task<int> MainAsync(string[] args)
    {
        string Value(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        int Number(string name, int fallback) => int.Parse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        bool smoke = args.Contains("--smoke");
        bool pushesOnly = args.Contains("--pushes-only");
        var settings = new Settings(smoke, Number("--calls", smoke ? 1 : 10), Number("--per-call", smoke ? 100 : 10_000), Number("--webhooks", smoke ? 10 : 1_000),
            TimeSpan.FromSeconds(Number("--phase-seconds", smoke ? 2 : 15)), Number("--big-call", smoke ? 100 : 10_000));
        string serviceDirectory = Path.GetFullPath(Value("--service", "bench/.out/service"));
        string baselineDirectory = Path.GetFullPath(Value("--baseline", "bench/.out/baseline"));
        string name = pushesOnly ? "fanout-push.md" : "fanout.md";
        string results = Value("--results", Path.Combine("bench", "results", $"{DateTime.UtcNow:yyyy-MM-dd}-{name}"));
        if (Directory.Exists(results))
        {
            results = Path.Combine(results, name);
        }

        string work = Directory.CreateTempSubdirectory("graphnotifications-bench-fanout-").FullName;
        var clock = Stopwatch.StartNew();
        void Log(string message) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {message}");
        string loadAtStart = LoadAverage();
        try
        {
            var service = TargetKind.Service(serviceDirectory);
            var baseline = TargetKind.Baseline(baselineDirectory);
            var links = new List<LinkRun>();
            var hooks = new List<WebhookRun>();
            var writers = new List<WriterRun>();
            var pushes = new List<PushRun>();

            // SQLite: the service and the ceiling side by side, each on its own empty copy of the service's schema.
            foreach (var kind in pushesOnly ? [service] : new[] { service, baseline })
            {
                string file = Path.Combine(work, $"{kind.Name}.db");
                await SeededStore.CreateEmptyAsync(file);
                using var target = Target.Start(kind, file);
                await WaitReadyAsync(target);
                if (!pushesOnly)
                {
                    links.Add(await LinksAsync(target, "SQLite", settings, "links", Log));
                    writers.Add(await OtherWritersAsync(target, "SQLite", settings, Log));
                }

                if (kind == service)
                {
                    if (!pushesOnly)
                    {
                        hooks.Add(await WebhooksAsync(target, "SQLite", settings, Log));
                    }

                    pushes.Add(await PushesAsync(target, new PushStore("SQLite", "Sqlite", $"Data Source={file}"), settings, Log));
                }
            }

            // The library alone, at most 20,000 pushes: its rate is what it is compared by.
            var ceiling = await PushCeiling.RunAsync(Math.Min(20_000, settings.Calls * settings.PerCall));
            Log($"push ceiling: {ceiling.Reached}/{ceiling.Pushes} in {ceiling.Seconds:0.00} s, {ceiling.PushesPerSecond:0} pushes/s, harness CPU {ceiling.CpuSeconds:0.0} s");

            string postgresVersion = "not run (--smoke)";
            if (!smoke)
            {
                await using var cluster = await PostgresCluster.StartAsync(CancellationToken.None);
                postgresVersion = cluster.Version;
                await cluster.CreateDatabaseAsync("fanout", CancellationToken.None);
                var onPostgres = service with
                {
                    ExtraArguments = [.. service.ExtraArguments, "--Storage:Provider=Postgres", $"--ConnectionStrings:Notifications={cluster.ConnectionString("fanout")}"],
                };
                using var target = Target.Start(onPostgres, Path.Combine(work, "unused.db"));
                await WaitReadyAsync(target);
                if (!pushesOnly)
                {
                    links.Add(await LinksAsync(target, "PostgreSQL", settings, "links", Log));
                    writers.Add(await OtherWritersAsync(target, "PostgreSQL", settings, Log));
                    hooks.Add(await WebhooksAsync(target, "PostgreSQL", settings, Log));
                }

                pushes.Add(await PushesAsync(target, new PushStore("PostgreSQL", "Postgres", cluster.ConnectionString("fanout")), settings, Log));
            }

            string report = Render(args, settings, links, hooks, writers, pushes, ceiling, postgresVersion, loadAtStart, LoadAverage(), clock.Elapsed);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(results))!);
            await File.WriteAllTextAsync(results, report);
            Console.WriteLine(report);
            Console.WriteLine($"Written to {results}.");
            return 0;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"The fan-out bench failed after {clock.Elapsed:mm\\:ss}: {ex}");
            return 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static HttpClient Client(Target target, string token)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(target.Root, "v1.0/"), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>A notification of the bench's app, created into its owner's feed (the ceiling creates only through /me).</summary>
    private static async Task<string> CreateAsync(Target target, string owner)
    {
        using var http = Client(target, Tokens.Delegated(owner));
        using var response = await http.PostAsync("me/notifications", Json("""{"targetHostName":"bench.example","payload":{"visualContent":{"title":"fan-out"}}}"""));
        string text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.Created
            ? JsonNode.Parse(text)!["id"]!.GetValue<string>()
            : throw new InvalidOperationException($"{target.Kind.Name}: a create answered {(int)response.StatusCode}: {text}");
    }

    private static string User(string prefix, int i) => $"{prefix}-{i:D7}";

    private static async Task<double> AddRecipientsAsync(HttpClient app, string notificationId, IEnumerable<string> users)
    {
        var body = new JsonObject { ["userIds"] = new JsonArray([.. users.Select(u => JsonValue.Create(u))]) }.ToJsonString();
        var clock = Stopwatch.StartNew();
        using var response = await app.PostAsync($"notifications/{notificationId}/microsoft.graph.addRecipients", Json(body));
        double ms = clock.Elapsed.TotalMilliseconds;
        return response.StatusCode == HttpStatusCode.NoContent
            ? ms
            : throw new InvalidOperationException($"addRecipients answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<LinkRun> LinksAsync(Target target, string store, Settings settings, string prefix, Action<string> log)
    {
        string id = await CreateAsync(target, "fan-owner");
        using var app = Client(target, Tokens.AppOnly());
        var calls = new List<double>();
        for (int c = 0; c < settings.Calls; c++)
        {
            calls.Add(await AddRecipientsAsync(app, id, Enumerable.Range(c * settings.PerCall, settings.PerCall).Select(i => User(prefix, i))));
        }

        var run = new LinkRun(target.Kind.Name, store, settings.Calls * settings.PerCall, calls.Sum() / 1000, Median(calls), calls.Max());
        log($"{target.Kind.Name} on {store}: {run.Links} links in {run.Seconds:0.00} s, {run.Rate:0} links/s, a call p50 {run.P50CallMs:0} ms, max {run.MaxCallMs:0} ms");
        return run;
    }

    /// <summary>The link run again, with subscriptions on feeds spread over the calls; then waits for every change notification.</summary>
    private static async Task<WebhookRun> WebhooksAsync(Target target, string store, Settings settings, Action<string> log)
    {
        int port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        int delivered = 0;
        long lastAt = 0;
        using var stop = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync().WaitAsync(stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                    string text = await reader.ReadToEndAsync();
                    if (context.Request.QueryString["validationToken"] is { } token)
                    {
                        context.Response.ContentType = "text/plain";
                        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(token));
                    }
                    else
                    {
                        int items = JsonNode.Parse(text)?["value"]?.AsArray().Count ?? 0;
                        Interlocked.Add(ref delivered, items);
                        Interlocked.Exchange(ref lastAt, Stopwatch.GetTimestamp());
                        context.Response.StatusCode = 202;
                    }

                    context.Response.Close();
                });
            }
        });

        using var app = Client(target, Tokens.AppOnly());
        string prefix = "hooked";
        int total = settings.Calls * settings.PerCall;
        int step = Math.Max(1, total / settings.Webhooks);
        var subscribing = new SemaphoreSlim(16);
        await Task.WhenAll(Enumerable.Range(0, settings.Webhooks).Select(async k =>
        {
            await subscribing.WaitAsync();
            try
            {
                var body = new JsonObject
                {
                    ["changeType"] = "created",
                    ["notificationUrl"] = $"http://127.0.0.1:{port}/webhook",
                    ["resource"] = $"users/{User(prefix, k * step)}/notifications",
                    ["expirationDateTime"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O", CultureInfo.InvariantCulture),
                };
                using var response = await app.PostAsync("subscriptions", Json(body.ToJsonString()));
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"A subscription answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            finally
            {
                subscribing.Release();
            }
        }));
        log($"{settings.Webhooks} subscriptions on {store}");

        long start = Stopwatch.GetTimestamp();
        var links = await LinksAsync(target, store, settings, prefix, log);
        var wait = Stopwatch.StartNew();
        while (Volatile.Read(ref delivered) < settings.Webhooks && wait.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        listener.Stop();
        await receiving;
        double toLast = Volatile.Read(ref delivered) > 0 ? Stopwatch.GetElapsedTime(start, Interlocked.Read(ref lastAt)).TotalSeconds : double.NaN;
        log($"webhooks on {store}: {delivered}/{settings.Webhooks} delivered, the last {toLast:0.00} s after the first call began");
        return new WebhookRun(store, links, settings.Webhooks, delivered, toLast);
    }

    /// <summary>Creates from <see cref="Writers"/> connections for a phase alone, then for a phase beside back-to-back fan-outs.</summary>
    private static async Task<WriterRun> OtherWritersAsync(Target target, string store, Settings settings, Action<string> log)
    {
        var alone = await WritesAsync(target, settings.Phase, fanOut: null);
        int calls = 0;
        var callTimes = new List<double>();
        var withFanOut = await WritesAsync(target, settings.Phase, fanOut: async stop =>
        {
            using var app = Client(target, Tokens.AppOnly());
            while (!stop.IsCancellationRequested)
            {
                string id = await CreateAsync(target, "fan-owner");
                int first = calls * settings.BigCall;
                callTimes.Add(await AddRecipientsAsync(app, id, Enumerable.Range(first, settings.BigCall).Select(i => User("beside", i))));
                calls++;
            }
        });
        var run = new WriterRun(target.Kind.Name, store, alone, withFanOut, calls, callTimes.Count > 0 ? Median(callTimes) : double.NaN,
            callTimes.Count > 0 ? callTimes.Max() : double.NaN);
        log($"{target.Kind.Name} on {store}: creates alone p50 {alone.P50Ms:0.0} p99 {alone.P99Ms:0.0} ms; beside {calls} fan-outs of {settings.BigCall} p50 {withFanOut.P50Ms:0.0} p99 {withFanOut.P99Ms:0.0} max {withFanOut.MaxMs:0.0} ms");
        return run;
    }

    private static async Task<Writes> WritesAsync(Target target, TimeSpan phase, Func<CancellationToken, Task>? fanOut)
    {
        using var stop = new CancellationTokenSource(phase);
        var latencies = new List<double>[Writers];
        var clock = Stopwatch.StartNew();
        var fanning = fanOut is null ? Task.CompletedTask : Task.Run(() => fanOut(stop.Token));
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            latencies[w] = [];
            using var http = Client(target, Tokens.Delegated($"writer-{w}"));
            string body = """{"targetHostName":"bench.example","payload":{"visualContent":{"title":"another writer"}}}""";
            while (!stop.IsCancellationRequested)
            {
                var one = Stopwatch.StartNew();
                using var response = await http.PostAsync("me/notifications", Json(body));
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"A create answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                latencies[w].Add(one.Elapsed.TotalMilliseconds);
            }
        })));
        double seconds = clock.Elapsed.TotalSeconds;
        await fanning;
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Writes(all.Count, all.Count / seconds, Percentile(all, 0.5), Percentile(all, 0.99), all.Count > 0 ? all[^1] : double.NaN);
    }

    private static string Render(string[] args, Settings s, List<LinkRun> links, List<WebhookRun> hooks, List<WriterRun> writers, List<PushRun> pushes, PushCeiling.Run pushCeiling, string postgresVersion,
        string loadAtStart, string loadAtEnd, TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"# Fan-out: {(links.Count == 0 ? "Web Push to every recipient" : "addRecipients at scale")}, {DateTime.UtcNow:yyyy-MM-dd}{(s.Smoke ? " (smoke run: checks the harness, not a result)" : "")}");
        md.AppendLine();
        md.AppendLine(c, $"Command: `{CommandLine(args)}`; {Environment.ProcessorCount} cores, {elapsed.TotalSeconds:0} s; load average {loadAtStart} at the start, {loadAtEnd} at the end. Release builds, Production, the harness on the same machine; empty stores. PostgreSQL: {postgresVersion}, a throwaway cluster with its default settings.");
        md.AppendLine();
        if (links.Count > 0)
        {
            md.AppendLine(c, $"## Link rate: {s.Calls * s.PerCall:N0} recipients in {s.Calls} calls of {s.PerCall:N0}, one at a time");
            md.AppendLine();
            md.AppendLine("| target | store | links | seconds (sum of calls) | links/s | a call, p50 | a call, max | vs the ceiling |");
            md.AppendLine("|---|---|---|---|---|---|---|---|");
            var ceiling = links.FirstOrDefault(l => l.Target == "baseline");
            foreach (var l in links)
            {
                md.AppendLine(c, $"| {l.Target} | {l.Store} | {l.Links:N0} | {l.Seconds:0.00} | {l.Rate:N0} | {l.P50CallMs:0} ms | {l.MaxCallMs:0} ms | {(ceiling is null || l == ceiling ? "" : $"{l.Rate / ceiling.Rate:0.00}x")} |");
            }
        }

        if (hooks.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(c, $"## With {s.Webhooks:N0} subscribed webhooks (the service)");
            md.AppendLine();
            md.AppendLine(c, $"The same calls for another {s.Calls * s.PerCall:N0} users, {s.Webhooks:N0} of whose feeds (spread evenly over the calls) have a subscription (changeType created) at a receiver in the harness; time from the first call to the last change notification received.");
            md.AppendLine();
            md.AppendLine("| store | links/s | a call, p50 | change notifications received | first call to the last one |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var h in hooks)
            {
                md.AppendLine(c, $"| {h.Store} | {h.Links.Rate:N0} | {h.Links.P50CallMs:0} ms | {h.Delivered:N0} / {h.Subscriptions:N0} | {h.SecondsToLastDelivery:0.00} s |");
            }
        }

        if (writers.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(c, $"## Other writers beside {s.BigCall:N0}-recipient calls");
            md.AppendLine();
            md.AppendLine(c, $"Creates (`POST /me/notifications`) from {Writers} connections for {s.Phase.TotalSeconds:0} s alone, then for {s.Phase.TotalSeconds:0} s while one client sends {s.BigCall:N0}-recipient `addRecipients` calls back to back (each on a new notification).");
            md.AppendLine();
            md.AppendLine("| target | store | creates/s alone | p50 | p99 | max | creates/s beside fan-outs | p50 | p99 | max | fan-out calls | a call, p50 | a call, max |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var w in writers)
            {
                md.AppendLine(c, $"| {w.Target} | {w.Store} | {w.Alone.PerSecond:0} | {w.Alone.P50Ms:0.0} ms | {w.Alone.P99Ms:0.0} ms | {w.Alone.MaxMs:0} ms | {w.WithFanOut.PerSecond:0} | {w.WithFanOut.P50Ms:0.0} ms | {w.WithFanOut.P99Ms:0.0} ms | {w.WithFanOut.MaxMs:0} ms | {w.FanOutCalls} | {w.FanOutCallP50Ms:0} ms | {w.FanOutCallMaxMs:0} ms |");
            }
        }

        md.AppendLine(c, $"## Web Push to {s.Calls * s.PerCall:N0} recipients (the service), beside the library alone");
        md.AppendLine();
        md.AppendLine(c, $"{s.Calls} `addRecipients` calls of {s.PerCall:N0} new users, each user with one `webPush` endpoint at a push service on loopback in the harness (Kestrel: reads each body, chunked or not, answers 201, counts the pushes per endpoint; it does not decrypt, the tests do). The first endpoint is registered through the API, the others are copies of its stored row (not timed). *First push*, *last endpoint*: seconds from the first call until the first push arrived, and until every endpoint had had one; pushes/s between the two. CPU: the service's, from the first call to the last push, and the harness's (the push service, mostly) over the same time. The pending pushes (the outbox) sampled each second.");
        md.AppendLine();
        md.AppendLine("| store | links/s | endpoints reached | duplicates | malformed | first push | last endpoint | pushes/s | pending, peak | service CPU | service CPU a push | harness CPU a push |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var p in pushes)
        {
            md.AppendLine(c, $"| {p.Store} | {p.Links.Rate:N0} | {p.Reached:N0} / {p.Endpoints:N0} | {p.Duplicates:N0} | {p.Malformed:N0} | {p.SecondsToFirst:0.00} s | {p.SecondsToLast:0.00} s | {p.PushesPerSecond:N0} | {p.PeakPending:N0} | {p.ServiceCpuSeconds:0.0} s | {p.ServiceCpuSeconds * 1000 / Math.Max(1, p.Reached):0.00} ms | {p.HarnessCpuSeconds * 1000 / Math.Max(1, p.Reached):0.00} ms |");
        }

        md.AppendLine();
        md.AppendLine(c, $"The ceiling: the library the service sends with (Lib.Net.Http.WebPush), alone in the harness with no store, {pushCeiling.Pushes:N0} pushes of the service's size to the same kind of push service, 32 at a time (the worker's `Push:SendBatchSize`): each encrypted (`aes128gcm`, a new ephemeral key) and VAPID-signed. Its CPU is the harness's, push service included.");
        md.AppendLine();
        md.AppendLine("| pushes | reached | duplicates | malformed | seconds | pushes/s | harness CPU | CPU a push |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        md.AppendLine(c, $"| {pushCeiling.Pushes:N0} | {pushCeiling.Reached:N0} | {pushCeiling.Duplicates:N0} | {pushCeiling.Malformed:N0} | {pushCeiling.Seconds:0.00} | {pushCeiling.PushesPerSecond:N0} | {pushCeiling.CpuSeconds:0.0} s | {pushCeiling.CpuSeconds * 1000 / Math.Max(1, pushCeiling.Reached):0.00} ms |");
        return md.ToString();
    }

    /// <summary>The run's command as bench/run-fanout.sh takes it: without the folders it adds, and without where the results went.</summary>
    private static string CommandLine(string[] args)
    {
        var words = new List<string> { "bench/run-fanout.sh" };
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--service" or "--baseline" or "--results")
            {
                i++;
            }
            else if (args[i] != "--fanout")
            {
                words.Add(args[i]);
            }
        }

        return string.Join(' ', words);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static double Median(List<double> values) => Percentile([.. values.Order()], 0.5);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static async Task WaitReadyAsync(Target target)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (target.HasExited || clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new InvalidOperationException($"{target.Kind.Name} did not start:{Environment.NewLine}{target.RecentOutput}");
            }

            try
            {
                // The ceiling serves no $metadata: any answer means it listens.
                using var response = await http.GetAsync(new Uri(target.Root, "v1.0/me/notifications"));
                return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace GraphNotifications.Bench.Harness;

/// <summary>
/// The live stream's figures (bench/run-stream.sh; <c>--stream</c>): the service alone on an empty SQLite store.
/// Latency: streams open over many users (<c>$deltatoken=latest</c>), creates into those users' feeds at a moderate
/// rate, and for each event the time from the create's 201 reaching the harness to the event reaching the stream (an
/// event before its 201 counts as 0 ms). Scale: more streams opened up to the total, then the service's resident memory
/// with all of them open, and one more round of latency at that size.
/// </summary>
internal static class StreamBench
{
    private sealed record Figures(int Streams, int Users, int Creates, int Events, int Expected, double P50Ms, double P99Ms, double MaxMs);

    public static async Task<int> MainAsync(string[] args)
    {
        string Value(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        bool smoke = args.Contains("--smoke");
        string serviceDirectory = Path.GetFullPath(Value("--service", "bench/.out/service"));
        string results = Value("--results", Path.Combine("bench", "results", $"{DateTime.UtcNow:yyyy-MM-dd}-stream.md"));
        if (Directory.Exists(results))
        {
            results = Path.Combine(results, "stream.md");
        }

        int latencyStreams = smoke ? 50 : 1000, latencyUsers = smoke ? 10 : 200, totalStreams = smoke ? 200 : 5000;
        int creates = smoke ? 20 : 200;
        string work = Directory.CreateTempSubdirectory("graphnotifications-bench-stream-").FullName;
        var clock = Stopwatch.StartNew();
        void Log(string message) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {message}");
        try
        {
            string database = Path.Combine(work, "notifications.db");
            await SeededStore.CreateEmptyAsync(database);
            var kind = TargetKind.Service(serviceDirectory) is var service
                ? service with { ExtraArguments = [.. service.ExtraArguments, $"--Streams:MaxStreamsPerInstance={totalStreams + 100}"] }
                : null!;
            using var target = Target.Start(kind, database);
            await WaitReadyAsync(target);
            double idle = target.RssMiB() ?? 0;
            Log($"service up, RSS {idle:0} MiB");

            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(target.Root, "v1.0/"), Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.AppOnly());
            using var stop = new CancellationTokenSource();
            var arrivals = new ConcurrentDictionary<string, ConcurrentBag<long>>();
            var readers = new List<Task>();

            await OpenAsync(http, readers, arrivals, latencyStreams, latencyUsers, userOffset: 0, stop.Token);
            Log($"{latencyStreams} streams open over {latencyUsers} users, RSS {target.RssMiB():0} MiB");
            var atThousand = await MeasureAsync(http, arrivals, latencyStreams, latencyUsers, creates, Log);
            double rssAtLatency = target.RssMiB() ?? 0;

            int more = totalStreams - latencyStreams;
            int moreUsers = (more + 4) / 5;
            await OpenAsync(http, readers, arrivals, more, moreUsers, userOffset: latencyUsers, stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(smoke ? 1 : 5));
            double rssAll = target.RssMiB() ?? 0;
            Log($"{totalStreams} streams open, RSS {rssAll:0} MiB (peak {target.PeakRssMiB():0} MiB)");
            var atAll = await MeasureAsync(http, arrivals, latencyStreams, latencyUsers, creates, Log) with { Streams = totalStreams };
            double peak = target.PeakRssMiB() ?? 0;

            await stop.CancelAsync();
            var report = Render(smoke, latencyStreams, latencyUsers, totalStreams, idle, rssAtLatency, rssAll, peak, atThousand, atAll, clock.Elapsed);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(results))!);
            await File.WriteAllTextAsync(results, report);
            Console.WriteLine(report);
            Console.WriteLine($"Written to {results}.");
            return 0;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"The stream bench failed after {clock.Elapsed:mm\\:ss}: {ex}");
            return 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string User(int i) => $"stream-bench-{i}";

    /// <summary>Opens <paramref name="count"/> streams, round robin over the users, and waits until each has its headers and first line.</summary>
    private static async Task OpenAsync(HttpClient http, List<Task> readers, ConcurrentDictionary<string, ConcurrentBag<long>> arrivals,
        int count, int users, int userOffset, CancellationToken cancellationToken)
    {
        var opened = new List<Task>();
        using var gate = new SemaphoreSlim(64);
        for (int i = 0; i < count; i++)
        {
            string user = User(userOffset + (i % users));
            await gate.WaitAsync(cancellationToken);
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            readers.Add(Task.Run(() => ReadAsync(http, user, arrivals, ready, cancellationToken), CancellationToken.None));
            opened.Add(ready.Task.ContinueWith(_ => gate.Release(), TaskScheduler.Default));
            _ = ready.Task.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }

        await Task.WhenAll(opened).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
    }

    private static async Task ReadAsync(HttpClient http, string user, ConcurrentDictionary<string, ConcurrentBag<long>> arrivals, TaskCompletionSource ready, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"users/{user}/notifications/delta?$deltatoken=latest");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"A stream answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
            await reader.ReadLineAsync(cancellationToken);
            ready.TrySetResult();
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("data: {\"@odata.type\"", StringComparison.Ordinal) || line.StartsWith("data: {", StringComparison.Ordinal))
                {
                    long at = Stopwatch.GetTimestamp();
                    string? id = JsonNode.Parse(line[6..])?["id"]?.GetValue<string>();
                    if (id is not null)
                    {
                        arrivals.GetOrAdd(id, _ => []).Add(at);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            ready.TrySetException(ex);
        }
        catch (Exception ex)
        {
            ready.TrySetException(ex);
        }
    }

    /// <summary>Creates at 20 a second into the first <paramref name="users"/> users' feeds; each has streams/users streams.</summary>
    private static async Task<Figures> MeasureAsync(HttpClient http, ConcurrentDictionary<string, ConcurrentBag<long>> arrivals,
        int streams, int users, int creates, Action<string> log)
    {
        int perUser = streams / users;
        var answered = new Dictionary<string, long>();
        var pace = Stopwatch.StartNew();
        var interval = TimeSpan.FromMilliseconds(50);
        string body = """{"targetHostName":"bench.example","payload":{"visualContent":{"title":"stream latency"}}}""";
        for (int i = 0; i < creates; i++)
        {
            var due = interval * i - pace.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            using var response = await http.PostAsync($"users/{User(i % users)}/notifications", new StringContent(body, Encoding.UTF8, "application/json"));
            long at = Stopwatch.GetTimestamp();
            string text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"A create answered {(int)response.StatusCode}: {text}");
            }

            answered[JsonNode.Parse(text)!["id"]!.GetValue<string>()] = at;
        }

        int expected = creates * perUser;
        var wait = Stopwatch.StartNew();
        while (wait.Elapsed < TimeSpan.FromSeconds(10) && answered.Keys.Sum(id => arrivals.TryGetValue(id, out var bag) ? bag.Count : 0) < expected)
        {
            await Task.Delay(50);
        }

        var latencies = new List<double>();
        foreach (var (id, created) in answered)
        {
            if (arrivals.TryGetValue(id, out var bag))
            {
                latencies.AddRange(bag.Select(arrived => arrived < created ? 0 : Stopwatch.GetElapsedTime(created, arrived).TotalMilliseconds));
            }
        }

        latencies.Sort();
        var figures = new Figures(streams, users, creates, latencies.Count, expected, Percentile(latencies, 0.5), Percentile(latencies, 0.99),
            latencies.Count > 0 ? latencies[^1] : double.NaN);
        log($"latency: {figures.Events}/{expected} events, p50 {figures.P50Ms:0.0} ms, p99 {figures.P99Ms:0.0} ms, max {figures.MaxMs:0.0} ms");
        return figures;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task WaitReadyAsync(Target target)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (target.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"The service did not start:{Environment.NewLine}{target.RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(target.Root, "v1.0/$metadata"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }
    }

    private static string Render(bool smoke, int latencyStreams, int users, int total, double idle, double rssAtLatency, double rssAll, double peak,
        Figures atLatency, Figures atAll, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# The live stream: latency and open streams, {DateTime.UtcNow:yyyy-MM-dd}{(smoke ? " (smoke run: checks the harness, not a result)" : "")}");
        md.AppendLine();
        md.AppendLine(c, $"Command: `bench/run-stream.sh{(smoke ? " --smoke" : "")}`; {Environment.ProcessorCount} cores, {elapsed.TotalSeconds:0} s. The service alone (Release, SQLite, Production) with the harness on the same machine; the machine was shared with other engineers' builds and tests, so the figures are noisy.");
        md.AppendLine();
        md.AppendLine("Latency: from a create's 201 reaching the harness to the event on each stream of that feed (`$deltatoken=latest` streams; creates at 20 a second, round robin over the users; an event before its 201 counts as 0 ms).");
        md.AppendLine();
        md.AppendLine("| streams open | users streamed to | creates | events / expected | p50 | p99 | max | target |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var f in new[] { atLatency, atAll })
        {
            md.AppendLine(c, $"| {f.Streams} | {users} | {f.Creates} | {f.Events} / {f.Expected} | {f.P50Ms:0.0} ms | {f.P99Ms:0.0} ms | {f.MaxMs:0.0} ms | {(f.Streams == latencyStreams ? (f.P99Ms < 200 && f.Events == f.Expected ? "p99 < 200 ms: met" : "p99 < 200 ms: NOT met") : "")} |");
        }

        md.AppendLine();
        md.AppendLine("| service RSS | MiB |");
        md.AppendLine("|---|---|");
        md.AppendLine(c, $"| idle, no stream | {idle:0} |");
        md.AppendLine(c, $"| {latencyStreams} streams open, after the latency round | {rssAtLatency:0} |");
        md.AppendLine(c, $"| {total} streams open | {rssAll:0} ({(rssAll < 400 ? "< 400 MB: met" : "< 400 MB: NOT met")}) |");
        md.AppendLine(c, $"| peak (VmHWM) over the run | {peak:0} |");
        return md.ToString();
    }
}

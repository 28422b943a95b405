using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GraphNotifications.Bench.Harness;

/// <summary>
/// One run: the stores, the cold starts, then both targets side by side through every scenario (each scenario runs
/// on the service and then on the ceiling before the next begins, so the machine's noise falls on both alike), then
/// memory at rest.
/// </summary>
internal sealed partial class BenchRun(HarnessOptions options, string workDirectory, Action<string> log)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _lua = Path.Combine(options.RepositoryRoot, "bench", "Harness", "lua");

    public async Task<RunResults> RunAsync(CancellationToken cancellationToken)
    {
        var service = TargetKind.Service(options.ServiceDirectory);
        var baseline = TargetKind.Baseline(options.BaselineDirectory) is var ceiling && options.BaselineArgument is { } extra
            ? ceiling with { ExtraArguments = [.. ceiling.ExtraArguments, extra] }
            : TargetKind.Baseline(options.BaselineDirectory);

        string empty = Path.Combine(workDirectory, "empty.db");
        await SeededStore.CreateEmptyAsync(empty);
        if (options.ColdOnly)
        {
            string example = Path.Combine(workDirectory, "seed-example.json");
            await File.WriteAllTextAsync(example, SeedExample.Corrected(DateTimeOffset.UtcNow.AddDays(7)), cancellationToken);
            var starts = await ColdStartsAsync(service, baseline, empty, example, cancellationToken);
            return new RunResults([], starts, [], TimeSpan.Zero, 0, "not compared (--cold-only)", [], Delivery: null);
        }

        string template = Path.Combine(workDirectory, "template.db");
        File.Copy(empty, template);
        string[] poolUsers = ["ref-user", "ref-user-warmup", "mix-ref-user", "mix-ref-user-warmup"];
        log($"seeding feeds of {string.Join(", ", options.Sizes.Select(s => s.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} notifications");
        var (pools, seedTime) = SeededStore.Seed(template, options.Sizes, poolUsers, HarnessOptions.RefPoolSize, cancellationToken);
        log($"seeded in {seedTime.TotalSeconds:0.0} s ({new FileInfo(template).Length / 1048576.0:0} MB)");
        foreach (var (user, ids) in pools)
        {
            await File.WriteAllLinesAsync(Path.Combine(workDirectory, $"{user}.txt"), ids, cancellationToken);
        }

        string body = Path.Combine(workDirectory, "seed-example.json");
        await File.WriteAllTextAsync(body, SeedExample.Corrected(DateTimeOffset.UtcNow.AddDays(7)), cancellationToken);

        var coldStarts = !options.PostOnly ? await ColdStartsAsync(service, baseline, empty, body, cancellationToken) : [];

        using var serviceProcess = await StartSeededAsync(service, template, cancellationToken);
        using var baselineProcess = await StartSeededAsync(baseline, template, cancellationToken);
        string comparison = await CompareCreatedBodiesAsync(serviceProcess, baselineProcess, body, cancellationToken);
        log(comparison);

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var idle = new Dictionary<Target, double> { [serviceProcess] = serviceProcess.RssMiB() ?? 0, [baselineProcess] = baselineProcess.RssMiB() ?? 0 };
        var memory = new Dictionary<Target, RssSampler>
        {
            [serviceProcess] = new RssSampler(serviceProcess, _clock),
            [baselineProcess] = new RssSampler(baselineProcess, _clock),
        };

        var scenarios = new List<ScenarioResult>();
        try
        {
            foreach (var scenario in Scenarios(workDirectory, body).Take(options.PostOnly ? 1 : int.MaxValue))
            {
                var measured = new List<Measurement>();
                foreach (var target in new[] { serviceProcess, baselineProcess })
                {
                    measured.Add(await MeasureAsync(target, scenario, cancellationToken));
                }

                var result = new ScenarioResult(scenario.Key, scenario.Title, scenario.Connections, measured[0], measured[1]);
                scenarios.Add(result);
                log($"{scenario.Key}: service {result.Service.Wrk.RequestsPerSecond:0} req/s p50 {result.Service.Wrk.P50Us / 1000.0:0.00} ms, baseline {result.Baseline.Wrk.RequestsPerSecond:0} req/s p50 {result.Baseline.Wrk.P50Us / 1000.0:0.00} ms: {result.ThroughputRatio:0.00}x; CPU per request {result.Service.CpuMsPerRequest:0.000} / {result.Baseline.CpuMsPerRequest:0.000} ms");
            }

            log($"memory at rest: {options.AfterLoadSeconds} s after the last load");
            await Task.Delay(TimeSpan.FromSeconds(options.AfterLoadSeconds), cancellationToken);
            var afterLoad = new[] { serviceProcess, baselineProcess }
                .Select(t => new AfterLoad(t.Kind.Name, idle[t], t.RssMiB() ?? 0, t.PeakRssMiB() ?? 0, options.AfterLoadSeconds))
                .ToList();
            // Last, so that its subscription is not in the way of the other scenarios.
            var delivery = options.PostOnly ? null : await new DeliveryLatency(serviceProcess, log)
                .RunAsync(options.DeliveryCreates, ratePerSecond: 20, cancellationToken);
            return new RunResults(scenarios, coldStarts, afterLoad, seedTime, new FileInfo(template).Length, comparison,
                [.. memory.Select(m => (m.Key.Kind.Name, m.Value.Samples))], delivery);
        }
        finally
        {
            foreach (var sampler in memory.Values)
            {
                await sampler.DisposeAsync();
            }
        }
    }

    private sealed record Scenario(string Key, string Title, string Script, int Connections, Dictionary<string, string> Environment, Dictionary<string, string> Warmup);

    private IEnumerable<Scenario> Scenarios(string directory, string body)
    {
        const string Feed = "/v1.0/me/notifications";
        string appToken = Tokens.AppOnly();
        string Lua(string name) => Path.Combine(_lua, name);
        Dictionary<string, string> Ref(string user) => new()
        {
            ["BENCH_REF_PATH"] = $"/v1.0/users/{user}/notifications",
            ["BENCH_IDS_FILE"] = Path.Combine(directory, $"{user}.txt"),
            ["BENCH_APP_TOKEN"] = appToken,
        };

        var post = new Dictionary<string, string> { ["BENCH_PATH"] = Feed, ["BENCH_BODY_FILE"] = body, ["BENCH_TOKEN"] = Tokens.Delegated(SeededStore.PostUser) };
        yield return new("1. POST", "POST the seed's corrected example to /me/notifications", Lua("post.lua"), HarnessOptions.Connections, post, post);

        foreach (int size in options.Sizes)
        {
            var page = new Dictionary<string, string> { ["BENCH_PATH"] = Feed + "?$top=20", ["BENCH_TOKEN"] = Tokens.Delegated(SeededStore.FeedUser(size)) };
            yield return new($"2. page, N={size:N0}", $"GET /me/notifications?$top=20 on a feed of {size:N0}", Lua("page.lua"), HarnessOptions.PageConnections, page, page);
        }

        yield return new("3. $ref", "POST …/notifications/$ref and DELETE …/notifications/{id}/$ref, alternately (app-only)", Lua("ref.lua"),
            HarnessOptions.Connections, Ref("ref-user"), Ref("ref-user-warmup"));

        int mixSize = options.Sizes.OrderBy(s => Math.Abs(s - 100_000)).First();
        Dictionary<string, string> Mix(string refUser) => new(Ref(refUser))
        {
            ["BENCH_PAGE_PATH"] = Feed + "?$top=20",
            ["BENCH_PATH"] = Feed,
            ["BENCH_BODY_FILE"] = body,
            ["BENCH_TOKEN"] = Tokens.Delegated(SeededStore.FeedUser(mixSize)),
        };
        yield return new("4. mix", $"80% pages ($top=20, feed of {mixSize:N0}), 15% creates into it, 5% $ref", Lua("mix.lua"),
            HarnessOptions.Connections, Mix("mix-ref-user"), Mix("mix-ref-user-warmup"));
    }

    private async Task<Measurement> MeasureAsync(Target target, Scenario scenario, CancellationToken cancellationToken)
    {
        var samples = new RssSampler(target, _clock);
        WrkResult result;
        double measureFrom;
        double? cpuBefore, cpuAfter;
        try
        {
            if (options.WarmupSeconds > 0)
            {
                var warmup = new Dictionary<string, string>(scenario.Warmup) { ["BENCH_LOG_ERRORS"] = "1" };
                var warm = await Wrk.RunAsync(target.Root, scenario.Script, scenario.Connections, options.WarmupSeconds, warmup, cancellationToken);
                CheckErrors(target, scenario, warm, "warm-up");
            }

            measureFrom = _clock.Elapsed.TotalSeconds;
            cpuBefore = target.CpuMilliseconds();
            var profiling = options.ProfileDirectory is { } directory
                ? Profiler.AttachAsync(target, directory, options.ToolsDirectory, TimeSpan.FromSeconds(options.Seconds - 2), log, cancellationToken)
                : Task.CompletedTask;
            result = await Wrk.RunAsync(target.Root, scenario.Script, scenario.Connections, options.Seconds, scenario.Environment, cancellationToken);
            await profiling;
            cpuAfter = target.CpuMilliseconds();
            CheckErrors(target, scenario, result, "measurement");
        }
        finally
        {
            await samples.DisposeAsync();
        }

        var all = samples.Samples;
        var measured = all.Where(s => s.Seconds >= measureFrom).ToList();
        var secondHalf = measured.Skip(measured.Count / 2).Select(s => s.MiB).Order().ToList();
        double steady = secondHalf.Count > 0 ? secondHalf[secondHalf.Count / 2] : target.RssMiB() ?? 0;
        // CPU time per answered request: on a machine shared with other work, throughput moves with the load; the CPU
        // each request costs the process much less.
        double cpuPerRequest = cpuBefore is { } before && cpuAfter is { } after && result.Requests > 0 ? (after - before) / result.Requests : double.NaN;
        return new Measurement(result, all.Count > 0 ? all.Max(s => s.MiB) : steady, steady, all, cpuPerRequest);
    }

    private static void CheckErrors(Target target, Scenario scenario, WrkResult result, string phase)
    {
        if (target.HasExited)
        {
            throw new InvalidOperationException($"The {target.Kind.Name} exited during {scenario.Key} ({phase}):{Environment.NewLine}{target.RecentOutput}");
        }

        if (result.Requests == 0 || result.StatusErrors > 0 || result.Timeouts > 0 || result.ConnectErrors > 0)
        {
            throw new InvalidOperationException(
                $"{scenario.Key} on the {target.Kind.Name} ({phase}): {result.Requests} requests, {result.StatusErrors} answers not 2xx/3xx, " +
                $"{result.Timeouts} timeouts, {result.ConnectErrors} connect errors.{Environment.NewLine}{result.Log}{target.RecentOutput}");
        }
    }

    /// <summary>Scenario 5: process start to the first 201, alternating the targets, each time on a fresh copy of the empty store.</summary>
    private async Task<List<ColdStart>> ColdStartsAsync(TargetKind service, TargetKind baseline, string empty, string body, CancellationToken cancellationToken)
    {
        var results = new List<ColdStart>
        {
            new(service.Name, "schema present", [], [], []),
            new(baseline.Name, "schema present", [], [], []),
            new(service.Name, "new file: the service applies its migrations", [], [], []),
        };
        string json = await File.ReadAllTextAsync(body, cancellationToken);
        for (int i = 0; i < options.ColdStarts; i++)
        {
            foreach (var (kind, result, copy) in new[] { (service, results[0], true), (baseline, results[1], true), (service, results[2], false) })
            {
                string folder = Directory.CreateDirectory(Path.Combine(workDirectory, $"cold-{kind.Name}-{i}-{copy}")).FullName;
                string file = Path.Combine(folder, "notifications.db");
                if (copy)
                {
                    File.Copy(empty, file);
                }

                using var target = Target.Start(kind, file);
                double ms = await FirstCreatedAsync(target, json, cancellationToken);
                result.Milliseconds.Add(ms);
                result.RssMiB.Add(target.RssMiB() ?? 0);
                result.CpuMilliseconds.Add(target.CpuMilliseconds() ?? 0);
            }
        }

        log($"cold start p50: service {Median(results[0].Milliseconds):0} ms, baseline {Median(results[1].Milliseconds):0} ms, service on a new file {Median(results[2].Milliseconds):0} ms; "
            + $"CPU at the 201: service {Median(results[0].CpuMilliseconds):0} ms, baseline {Median(results[1].CpuMilliseconds):0} ms, new file {Median(results[2].CpuMilliseconds):0} ms");
        return results;
    }

    /// <summary>POSTs the example as soon as the port takes connections; the time from process start to the 201.</summary>
    private static async Task<double> FirstCreatedAsync(Target target, string json, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(30) };
        string token = Tokens.Delegated(SeededStore.PostUser);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (target.HasExited)
            {
                throw new InvalidOperationException($"The {target.Kind.Name} exited before its first 201:{Environment.NewLine}{target.RecentOutput}");
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(target.Root, "v1.0/me/notifications"))
                {
                    Content = new StringContent(json, Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    return Stopwatch.GetElapsedTime(target.StartTimestamp).TotalMilliseconds;
                }

                throw new InvalidOperationException($"The {target.Kind.Name}'s first POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
                await Task.Delay(5, cancellationToken);
            }
        }

        throw new TimeoutException($"The {target.Kind.Name} did not answer a POST with 201 within 60 s:{Environment.NewLine}{target.RecentOutput}");
    }

    private async Task<Target> StartSeededAsync(TargetKind kind, string template, CancellationToken cancellationToken)
    {
        string folder = Directory.CreateDirectory(Path.Combine(workDirectory, kind.Name)).FullName;
        string file = Path.Combine(folder, "notifications.db");
        File.Copy(template, file);
        var target = Target.Start(kind, file);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            string token = Tokens.Delegated(SeededStore.FeedUser(options.Sizes[0]));
            var clock = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (target.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException($"The {kind.Name} did not start:{Environment.NewLine}{target.RecentOutput}");
                }

                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target.Root, "v1.0/me/notifications?$top=20"));
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await http.SendAsync(request, cancellationToken);
                    string text = await response.Content.ReadAsStringAsync(cancellationToken);
                    if (response.StatusCode != HttpStatusCode.OK || JsonNode.Parse(text)?["value"]?.AsArray().Count != Math.Min(20, options.Sizes[0]))
                    {
                        throw new InvalidOperationException($"The {kind.Name}'s first page answered {(int)response.StatusCode}: {text}");
                    }

                    return target;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(50, cancellationToken);
                }
            }
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>The 201 bodies of the two targets for the seed's example, compared with the id, port and expiry masked.</summary>
    private static async Task<string> CompareCreatedBodiesAsync(Target service, Target baseline, string body, CancellationToken cancellationToken)
    {
        string json = await File.ReadAllTextAsync(body, cancellationToken);
        async Task<string> CreateAsync(Target target)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(target.Root, "v1.0/me/notifications"))
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Delegated(SeededStore.PostUser));
            using var response = await http.SendAsync(request, cancellationToken);
            string text = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.StatusCode != HttpStatusCode.Created
                ? throw new InvalidOperationException($"The {target.Kind.Name} answered the seed's example with {(int)response.StatusCode}: {text}")
                : Guid().Replace(text.Replace($":{target.Port}/", ":PORT/", StringComparison.Ordinal), "ID");
        }

        string fromService = await CreateAsync(service);
        string fromBaseline = await CreateAsync(baseline);
        return fromService == fromBaseline
            ? "The 201 bodies for the seed's example are byte for byte the same (id and port aside)."
            : $"The 201 bodies for the seed's example differ (id and port aside):{Environment.NewLine}service:  {fromService}{Environment.NewLine}baseline: {fromBaseline}";
    }

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();
}

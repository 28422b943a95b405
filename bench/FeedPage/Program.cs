using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using GraphNotifications.Bench.FeedPage;
using Microsoft.Data.Sqlite;

// The latency of one feed page at several feed lengths, and of a deep page against the first. See bench/README.md.

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 64;
}

using var budget = new CancellationTokenSource(options.Budget);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var machine = Machine.Describe(options.RepositoryRoot);
var clock = Stopwatch.StartNew();
var results = new List<SizeResult>();
try
{
    foreach (int size in options.Sizes)
    {
        results.Add(await FeedBench.RunAsync(options, size, budget.Token));
    }
}
catch (OperationCanceledException) when (budget.IsCancellationRequested)
{
    Console.Error.WriteLine($"Stopped after {clock.Elapsed:mm\\:ss}: the run's budget is {options.Budget.TotalMinutes} minutes (--budget-minutes), or it was interrupted. Nothing was written.");
    return 2;
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    Console.Error.WriteLine($"The run failed after {clock.Elapsed:mm\\:ss}; nothing was written. {ex}");
    return 1;
}

machine.Add(("Load average at the end", Machine.LoadAverage()));
string report = Report.Render(options, machine, results, clock.Elapsed);
Directory.CreateDirectory(Path.GetDirectoryName(options.ResultsPath)!);
await File.WriteAllTextAsync(options.ResultsPath, report);
Console.WriteLine();
Console.WriteLine(report);
Console.WriteLine($"Written to {Path.GetRelativePath(options.RepositoryRoot, options.ResultsPath)} ({clock.Elapsed.TotalSeconds:0} s).");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    budget.Cancel();
}

namespace GraphNotifications.Bench.FeedPage
{
    /// <summary>A page's latencies, and those of the page it is compared with, measured in the same loop.</summary>
    internal sealed record Series(string Page, int Depth, Latency Latency, string ReferenceName, Latency ReferenceLatency)
    {
        public double Ratio => Latency.P50 / ReferenceLatency.P50;
    }

    /// <summary>The warm-up of a freshly started service: how long, and how much faster its pages got.</summary>
    internal sealed record Warmup(int Requests, TimeSpan Time, double FirstP50, double LastP50);

    internal sealed record SizeResult(
        int Size,
        TimeSpan Migrate,
        TimeSpan Seed,
        long FileBytes,
        Warmup Warmup,
        Latency Top20,
        IReadOnlyList<Series> Depths,
        TimeSpan WalkTime,
        IReadOnlyList<CapturedQuery> Queries);

    internal static class FeedBench
    {
        public static async Task<SizeResult> RunAsync(BenchOptions options, int size, CancellationToken cancellationToken)
        {
            var folder = Directory.CreateTempSubdirectory("graphnotifications-feedpage-");
            try
            {
                string path = Path.Combine(folder.FullName, "notifications.db");
                Log($"N={size:N0}: migrating and seeding {folder.FullName}");
                var store = await FeedStore.CreateAsync(path, size, cancellationToken);
                long bytes = new FileInfo(path).Length;
                Log($"N={size:N0}: migrated in {store.MigrateTime.TotalSeconds:0.00} s, seeded in {store.SeedTime.TotalSeconds:0.00} s "
                    + $"({size / store.SeedTime.TotalSeconds:N0} notifications/s, {bytes / 1048576.0:0} MB)");

                Measured measured;
                using (var service = await ServiceUnderTest.StartAsync(options.PublishDirectory, path, [], cancellationToken))
                {
                    Log($"N={size:N0}: service pid {service.Pid} on {service.Root}");
                    measured = await MeasureAsync(options, service, store, cancellationToken);
                }

                List<CapturedQuery> queries = options.Explain ? await CaptureQueriesAsync(options, path, store, measured, cancellationToken) : [];
                return new SizeResult(size, store.MigrateTime, store.SeedTime, bytes, measured.Warmup, measured.Top20, measured.Depths, measured.WalkTime, queries);
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                folder.Delete(recursive: true);
            }
        }

        private sealed record Measured(Latency Top20, Warmup Warmup, List<Series> Depths, TimeSpan WalkTime, Uri DeepLink, int DeepDepth, Uri ControlLink, int ControlDepth);

        private static async Task<Measured> MeasureAsync(BenchOptions options, ServiceUnderTest service, FeedStore store, CancellationToken cancellationToken)
        {
            const int pageSize = BenchOptions.PageSize;
            using var client = new FeedClient(service.Root, ServiceUnderTest.AppOnlyToken());
            var feed = new Uri(service.Root, $"users/{FeedStore.UserId}/notifications");
            var top20 = new Uri($"{feed}?$top={pageSize}");

            // a. One page, $top=20, the plain request.
            await CheckAsync(client, top20, null, store, 0, cancellationToken);
            var top20Latency = new Latency();
            // The service has just started: its code is still being compiled to its final tier; warm up for a while too.
            var warmup = await RunAsync(client, [(top20, null, top20Latency)], options.Warmup, options.Requests, cancellationToken, options.WarmupTime);
            Log($"N={store.Count:N0}: warmed up with {warmup.Requests} requests in {warmup.Time.TotalSeconds:0.0} s (p50 of the first 100 {warmup.FirstP50:0.00} ms, of the last 100 {warmup.LastP50:0.00} ms)");
            Log($"N={store.Count:N0}: $top={pageSize} p50 {top20Latency.P50:0.00} ms, p99 {top20Latency.P99:0.00} ms");

            // b. Deep: follow the next links a client follows, 20 at a time.
            var walk = Stopwatch.StartNew();
            int deepPages = Math.Max(1, Math.Min(options.DeepPages, (store.Count / pageSize) - 1));
            var deepLink = await WalkAsync(client, feed, pageSize, deepPages, cancellationToken);
            int deepDepth = deepPages * pageSize;
            await CheckAsync(client, deepLink, pageSize, store, deepDepth, cancellationToken);

            // c. Far into a long feed, as far as the OFFSET control below can reach ($skip is at most 100,000), so that
            //    keyset and OFFSET are compared at the same depth. Reached with the largest pages the service gives,
            //    then read 20 at a time: a token's position does not depend on the page size that produced it.
            int hops = Math.Min(store.Count / 2, BenchOptions.MaxSkip) / BenchOptions.WalkPageSize;
            Uri? farLink = null;
            int farDepth = hops * BenchOptions.WalkPageSize;
            if (farDepth > 2 * deepDepth)
            {
                farLink = await WalkAsync(client, feed, BenchOptions.WalkPageSize, hops, cancellationToken);
                await CheckAsync(client, farLink, pageSize, store, farDepth, cancellationToken);
            }

            walk.Stop();
            Log($"N={store.Count:N0}: walked to depth {deepDepth:N0}{(farLink is null ? "" : $" and {farDepth:N0}")} in {walk.Elapsed.TotalSeconds:0.0} s");

            // The pages side by side in one loop, so that the machine's noise falls on all of them alike.
            var firstLatency = new Latency();
            var first = new Series("first page", 0, firstLatency, "first page", firstLatency);
            var deep = new Series($"after {deepPages} next links", deepDepth, new Latency(), "first page", firstLatency);
            var far = farLink is null ? null : new Series($"after {hops} next links of {BenchOptions.WalkPageSize}", farDepth, new Latency(), "first page", firstLatency);
            List<(Uri, int?, Latency)> interleaved = [(feed, pageSize, first.Latency), (deepLink, pageSize, deep.Latency)];
            if (far is not null)
            {
                interleaved.Add((farLink!, pageSize, far.Latency));
            }

            await RunAsync(client, interleaved, options.Warmup / 2, options.Requests, cancellationToken);
            Log($"N={store.Count:N0}: first p50 {first.Latency.P50:0.00} ms, deep p50 {deep.Latency.P50:0.00} ms{(far is null ? "" : $", far p50 {far.Latency.P50:0.00} ms")}");

            // d. The control: the same depth by OFFSET ($skip), which is what keyset paging avoids; alternated with the
            //    plain $top=20 page it is compared with.
            int controlDepth = far?.Depth ?? deepDepth;
            var controlLink = new Uri($"{feed}?$top={pageSize}&$skip={controlDepth}");
            await CheckAsync(client, controlLink, null, store, controlDepth, cancellationToken);
            var control = new Series($"`$top={pageSize}&$skip={controlDepth}` (OFFSET control)", controlDepth, new Latency(), $"`$top={pageSize}`", new Latency());
            await RunAsync(client, [(controlLink, null, control.Latency), (top20, null, control.ReferenceLatency)], 5, options.ControlRequests, cancellationToken);
            Log($"N={store.Count:N0}: $skip={controlDepth:N0} p50 {control.Latency.P50:0.00} ms");

            List<Series> depths = [first, deep];
            if (far is not null)
            {
                depths.Add(far);
            }

            depths.Add(control);
            return new Measured(top20Latency, warmup, depths, walk.Elapsed, deepLink, deepDepth, controlLink, controlDepth);
        }

        /// <summary>
        /// Runs the requests round-robin (starting at a different one each round): warm-up rounds first, at least
        /// <paramref name="warmup"/> of them and for at least <paramref name="minimumWarmup"/>, then the measured ones.
        /// </summary>
        private static async Task<Warmup> RunAsync(FeedClient client, List<(Uri Uri, int? MaxPageSize, Latency Latency)> requests, int warmup, int measured, CancellationToken cancellationToken, TimeSpan minimumWarmup = default)
        {
            var clock = Stopwatch.StartNew();
            var warming = new List<double>();
            int round = 0;
            for (; round < warmup || clock.Elapsed < minimumWarmup; round++)
            {
                foreach (var (uri, maxPageSize, _) in requests)
                {
                    warming.Add((await client.GetAsync(uri, maxPageSize, cancellationToken)).Milliseconds);
                }
            }

            var warmed = new Warmup(warming.Count, clock.Elapsed, Median(warming.Take(100)), Median(warming.TakeLast(100)));

            for (int end = round + measured; round < end; round++)
            {
                for (int k = 0; k < requests.Count; k++)
                {
                    var (uri, maxPageSize, latency) = requests[(round + k) % requests.Count];
                    var (milliseconds, _) = await client.GetAsync(uri, maxPageSize, cancellationToken);
                    latency.Add(milliseconds);
                }
            }

            return warmed;
        }

        private static double Median(IEnumerable<double> samples)
        {
            var latency = new Latency();
            foreach (double sample in samples)
            {
                latency.Add(sample);
            }

            return latency.Count == 0 ? double.NaN : latency.P50;
        }

        private static async Task<Uri> WalkAsync(FeedClient client, Uri feed, int pageSize, int pages, CancellationToken cancellationToken)
        {
            var link = feed;
            for (int page = 0; page < pages; page++)
            {
                var (_, body) = await client.GetAsync(link, pageSize, cancellationToken);
                link = FeedClient.Read(body).NextLink ?? throw new InvalidOperationException($"Page {page + 1} of {pageSize} has no next link.");
            }

            return link;
        }

        /// <summary>The page holds the seeded notifications expected at that depth, newest first, live, with their titles.</summary>
        private static async Task CheckAsync(FeedClient client, Uri uri, int? maxPageSize, FeedStore store, int depth, CancellationToken cancellationToken)
        {
            var (_, body) = await client.GetAsync(uri, maxPageSize, cancellationToken);
            var (ids, titles, _) = FeedClient.Read(body);
            int expected = Math.Min(BenchOptions.PageSize, store.Count - depth);
            for (int i = 0; i < expected; i++)
            {
                if (i >= ids.Count || ids[i] != store.IdAtDepth(depth + i) || titles[i] != FeedStore.TitleOf(store.Count - 1 - depth - i))
                {
                    throw new InvalidOperationException($"GET {uri}: item {i} is not the seeded notification at depth {depth + i} (got {ids.ElementAtOrDefault(i)} '{titles.ElementAtOrDefault(i)}').");
                }
            }

            if (ids.Count != expected)
            {
                throw new InvalidOperationException($"GET {uri}: {ids.Count} items, expected {expected}.");
            }
        }

        /// <summary>
        /// Runs the service again with EF Core's command log on, issues the three kinds of page once each, and asks
        /// SQLite how it runs the SQL the service issued (not measured: logging every command costs time).
        /// </summary>
        private static async Task<List<CapturedQuery>> CaptureQueriesAsync(BenchOptions options, string path, FeedStore store, Measured measured, CancellationToken cancellationToken)
        {
            using var service = await ServiceUnderTest.StartAsync(options.PublishDirectory, path, [QueryPlans.CommandLogging], cancellationToken);
            using var client = new FeedClient(service.Root, ServiceUnderTest.AppOnlyToken());

            // The links carry the first run's port: only their path and query are reused.
            var first = new Uri(service.Root, $"users/{FeedStore.UserId}/notifications");
            await client.GetAsync(first, BenchOptions.PageSize, cancellationToken);
            await client.GetAsync(new Uri(service.Root, measured.DeepLink.PathAndQuery), BenchOptions.PageSize, cancellationToken);
            await client.GetAsync(new Uri(service.Root, measured.ControlLink.PathAndQuery), null, cancellationToken);

            Dictionary<string, string> sql = [];
            for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(10) && sql.Count < 3; await Task.Delay(100, cancellationToken))
            {
                sql = QueryPlans.FeedQueries(service.Output);
            }

            if (sql.Count < 3)
            {
                throw new InvalidOperationException($"Found {sql.Count} of the 3 feed queries in the service's command log:{Environment.NewLine}{string.Join(Environment.NewLine, service.Output.TakeLast(60))}");
            }

            int runs = Math.Max(options.Requests / 2, 50);
            var captured = new List<CapturedQuery>
            {
                QueryPlans.Explain(path, "first page", sql["first page"], store, 0, runs, cancellationToken),
                QueryPlans.Explain(path, "after a skip token", sql["after a skip token"], store, measured.DeepDepth, runs, cancellationToken),
                QueryPlans.Explain(path, "$skip (OFFSET)", sql["$skip (OFFSET)"], store, measured.ControlDepth, options.ControlRequests, cancellationToken),
            };
            foreach (var query in captured)
            {
                Log($"N={store.Count:N0}: {query.Kind}: SQL alone p50 {query.SqlAlone.P50:0.000} ms; plan: {string.Join(" | ", query.Plan.Select(p => p.Trim()))}");
            }

            return captured;
        }

        private static void Log(string message) =>
            Console.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace GraphNotifications.Bench.FeedPage;

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

/// <summary>
/// One run: a store and a service per feed length, all running at once, so that the page at every length is measured
/// in one round-robin loop (the sizes compared side by side, under the same noise); then each feed's depth series
/// and OFFSET control; then, with the measuring services stopped, the SQL each kind of page issues and its plan.
/// </summary>
internal static class FeedBench
{
    private const int PageSize = BenchOptions.PageSize;

    private sealed class Feed(int size, DirectoryInfo folder, FeedStore store, long bytes) : IDisposable
    {
        public int Size { get; } = size;

        public DirectoryInfo Folder { get; } = folder;

        public FeedStore Store { get; } = store;

        public long Bytes { get; } = bytes;

        public string Label => $"N={Size:N0}";

        public ServiceUnderTest? Service { get; set; }

        public FeedClient? Client { get; set; }

        public Uri FeedUri => new(Service!.Root, $"users/{FeedStore.UserId}/notifications");

        public Uri Top20Uri => new($"{FeedUri}?$top={PageSize}");

        public void StopService()
        {
            Client?.Dispose();
            Client = null;
            Service?.Dispose();
            Service = null;
        }

        public void Dispose()
        {
            StopService();
            SqliteConnection.ClearAllPools();
            try
            {
                Folder.Delete(recursive: true);
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"Could not delete {Folder.FullName}: {ex.Message}");
            }
        }
    }

    private sealed record Depths(List<Series> Series, TimeSpan WalkTime, Uri DeepLink, int DeepDepth, Uri ControlLink, int ControlDepth);

    public static async Task<List<SizeResult>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var feeds = new List<Feed>();
        try
        {
            foreach (int size in options.Sizes)
            {
                feeds.Add(await SeedAsync(size, cancellationToken));
            }

            foreach (var feed in feeds)
            {
                feed.Service = await ServiceUnderTest.StartAsync(options.PublishDirectory, feed.Store.DatabasePath, [], cancellationToken);
                feed.Client = new FeedClient(feed.Service.Root, ServiceUnderTest.AppOnlyToken());
                Log($"{feed.Label}: service pid {feed.Service.Pid} on {feed.Service.Root}");
                await CheckAsync(feed.Client, feed.Top20Uri, null, feed.Store, 0, cancellationToken);
            }

            // a. One page of each feed, round-robin: the feeds' lengths compared under the same noise.
            var top20 = feeds.Select(_ => new Latency()).ToList();
            var warmups = await RunAsync(
                [.. feeds.Select((f, i) => (f.Client!, f.Top20Uri, (int?)null, top20[i]))],
                options.Warmup, options.Requests, cancellationToken, options.WarmupTime, 2 * options.WarmupTime);
            for (int i = 0; i < feeds.Count; i++)
            {
                Log($"{feeds[i].Label}: warmed up with {warmups[i].Requests} requests in {warmups[i].Time.TotalSeconds:0.0} s "
                    + $"(p50 of the first 100 {warmups[i].FirstP50:0.00} ms, of the last 100 {warmups[i].LastP50:0.00} ms); "
                    + $"$top={PageSize} p50 {top20[i].P50:0.00} ms, p99 {top20[i].P99:0.00} ms");
            }

            // b.–d. Depth, one feed at a time (its service warm already).
            var depths = new List<Depths>();
            foreach (var feed in feeds)
            {
                depths.Add(await MeasureDepthsAsync(options, feed, cancellationToken));
            }

            foreach (var feed in feeds)
            {
                feed.StopService();
            }

            var results = new List<SizeResult>();
            for (int i = 0; i < feeds.Count; i++)
            {
                var feed = feeds[i];
                var queries = options.Explain ? await CaptureQueriesAsync(options, feed, depths[i], cancellationToken) : [];
                results.Add(new SizeResult(feed.Size, feed.Store.MigrateTime, feed.Store.SeedTime, feed.Bytes, warmups[i], top20[i], depths[i].Series, depths[i].WalkTime, queries));
            }

            return results;
        }
        finally
        {
            foreach (var feed in feeds)
            {
                feed.Dispose();
            }
        }
    }

    private static async Task<Feed> SeedAsync(int size, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("graphnotifications-feedpage-");
        try
        {
            string path = Path.Combine(folder.FullName, "notifications.db");
            Log($"N={size:N0}: migrating and seeding {path}");
            var store = await FeedStore.CreateAsync(path, size, cancellationToken);
            long bytes = new FileInfo(path).Length;
            Log($"N={size:N0}: migrated in {store.MigrateTime.TotalSeconds:0.00} s, seeded in {store.SeedTime.TotalSeconds:0.00} s "
                + $"({size / store.SeedTime.TotalSeconds:N0} notifications/s, {bytes / 1048576.0:0} MB)");
            return new Feed(size, folder, store, bytes);
        }
        catch
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
            throw;
        }
    }

    private static async Task<Depths> MeasureDepthsAsync(BenchOptions options, Feed feed, CancellationToken cancellationToken)
    {
        var client = feed.Client!;
        var store = feed.Store;

        // b. Deep: follow the next links a client follows, 20 at a time.
        var walk = Stopwatch.StartNew();
        int deepPages = Math.Max(1, Math.Min(options.DeepPages, (store.Count / PageSize) - 1));
        var deepLink = await WalkAsync(client, feed.FeedUri, PageSize, deepPages, cancellationToken);
        int deepDepth = deepPages * PageSize;
        await CheckAsync(client, deepLink, PageSize, store, deepDepth, cancellationToken);

        // c. Far into a long feed, as far as the OFFSET control below can reach ($skip is at most 100,000), so that
        //    keyset and OFFSET are compared at the same depth. Reached with the largest pages the service gives,
        //    then read 20 at a time: a token's position does not depend on the page size that produced it.
        int hops = Math.Min(store.Count / 2, BenchOptions.MaxSkip) / BenchOptions.WalkPageSize;
        Uri? farLink = null;
        int farDepth = hops * BenchOptions.WalkPageSize;
        if (farDepth > 2 * deepDepth)
        {
            farLink = await WalkAsync(client, feed.FeedUri, BenchOptions.WalkPageSize, hops, cancellationToken);
            await CheckAsync(client, farLink, PageSize, store, farDepth, cancellationToken);
        }

        walk.Stop();
        Log($"{feed.Label}: walked to depth {deepDepth:N0}{(farLink is null ? "" : $" and {farDepth:N0}")} in {walk.Elapsed.TotalSeconds:0.0} s");

        // The pages side by side in one loop, so that the machine's noise falls on all of them alike.
        var firstLatency = new Latency();
        var first = new Series("first page", 0, firstLatency, "first page", firstLatency);
        var deep = new Series($"after {deepPages} next links", deepDepth, new Latency(), "first page", firstLatency);
        var far = farLink is null ? null : new Series($"after {hops} next links of {BenchOptions.WalkPageSize}", farDepth, new Latency(), "first page", firstLatency);
        List<(FeedClient, Uri, int?, Latency)> interleaved = [(client, feed.FeedUri, PageSize, first.Latency), (client, deepLink, PageSize, deep.Latency)];
        if (far is not null)
        {
            interleaved.Add((client, farLink!, PageSize, far.Latency));
        }

        await RunAsync(interleaved, options.Warmup / 2, options.Requests, cancellationToken);
        Log($"{feed.Label}: first p50 {first.Latency.P50:0.00} ms, deep p50 {deep.Latency.P50:0.00} ms{(far is null ? "" : $", far p50 {far.Latency.P50:0.00} ms")}");

        // d. The control: the same depth by OFFSET ($skip), which is what keyset paging avoids; alternated with the
        //    plain $top=20 page it is compared with.
        int controlDepth = far?.Depth ?? deepDepth;
        var controlLink = new Uri($"{feed.FeedUri}?$top={PageSize}&$skip={controlDepth}");
        await CheckAsync(client, controlLink, null, store, controlDepth, cancellationToken);
        var control = new Series($"`$top={PageSize}&$skip={controlDepth}` (OFFSET control)", controlDepth, new Latency(), $"`$top={PageSize}`", new Latency());
        await RunAsync([(client, controlLink, null, control.Latency), (client, feed.Top20Uri, null, control.ReferenceLatency)], 5, options.ControlRequests, cancellationToken);
        Log($"{feed.Label}: $skip={controlDepth:N0} p50 {control.Latency.P50:0.00} ms ($top={PageSize} beside it: {control.ReferenceLatency.P50:0.00} ms)");

        List<Series> series = [first, deep];
        if (far is not null)
        {
            series.Add(far);
        }

        series.Add(control);
        return new Depths(series, walk.Elapsed, deepLink, deepDepth, controlLink, controlDepth);
    }

    /// <summary>
    /// Runs the requests round-robin (starting at a different one each round). Warm-up rounds first: at least
    /// <paramref name="warmup"/> of them and for at least <paramref name="minimumWarmup"/>; after that, until every
    /// request's median over the last 100 rounds is within 10% of its best such median so far (the JIT has settled),
    /// or <paramref name="maximumWarmup"/> has passed. Then the measured rounds.
    /// </summary>
    private static async Task<List<Warmup>> RunAsync(
        List<(FeedClient Client, Uri Uri, int? MaxPageSize, Latency Latency)> requests,
        int warmup,
        int measured,
        CancellationToken cancellationToken,
        TimeSpan minimumWarmup = default,
        TimeSpan maximumWarmup = default)
    {
        const int block = 100;
        var clock = Stopwatch.StartNew();
        var warming = requests.Select(_ => new List<double>()).ToList();
        var best = requests.Select(_ => double.MaxValue).ToArray();
        int round = 0;
        for (; ; round++)
        {
            bool settled = false;
            if (round > 0 && round % block == 0)
            {
                settled = true;
                for (int k = 0; k < requests.Count; k++)
                {
                    double current = Median(warming[k].TakeLast(block));
                    best[k] = Math.Min(best[k], current);
                    settled &= current <= 1.1 * best[k];
                }
            }

            bool adaptive = maximumWarmup > minimumWarmup;
            if (round >= warmup && clock.Elapsed >= minimumWarmup && (!adaptive || settled || clock.Elapsed >= maximumWarmup))
            {
                break;
            }

            for (int k = 0; k < requests.Count; k++)
            {
                var (client, uri, maxPageSize, _) = requests[k];
                warming[k].Add((await client.GetAsync(uri, maxPageSize, cancellationToken)).Milliseconds);
            }
        }

        var warmups = warming.Select(w => new Warmup(w.Count, clock.Elapsed, Median(w.Take(block)), Median(w.TakeLast(block)))).ToList();
        for (int end = round + measured; round < end; round++)
        {
            for (int k = 0; k < requests.Count; k++)
            {
                var (client, uri, maxPageSize, latency) = requests[(round + k) % requests.Count];
                latency.Add((await client.GetAsync(uri, maxPageSize, cancellationToken)).Milliseconds);
            }
        }

        return warmups;
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
        int expected = Math.Min(PageSize, store.Count - depth);
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
    private static async Task<List<CapturedQuery>> CaptureQueriesAsync(BenchOptions options, Feed feed, Depths depths, CancellationToken cancellationToken)
    {
        string path = feed.Store.DatabasePath;
        using var service = await ServiceUnderTest.StartAsync(options.PublishDirectory, path, [QueryPlans.CommandLogging], cancellationToken);
        using var client = new FeedClient(service.Root, ServiceUnderTest.AppOnlyToken());

        // The links carry the measuring run's port: only their path and query are reused.
        await client.GetAsync(new Uri(service.Root, $"users/{FeedStore.UserId}/notifications"), PageSize, cancellationToken);
        await client.GetAsync(new Uri(service.Root, depths.DeepLink.PathAndQuery), PageSize, cancellationToken);
        await client.GetAsync(new Uri(service.Root, depths.ControlLink.PathAndQuery), null, cancellationToken);

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
            QueryPlans.Explain(path, "first page", sql["first page"], feed.Store, 0, runs, cancellationToken),
            QueryPlans.Explain(path, "after a skip token", sql["after a skip token"], feed.Store, depths.DeepDepth, runs, cancellationToken),
            QueryPlans.Explain(path, "$skip (OFFSET)", sql["$skip (OFFSET)"], feed.Store, depths.ControlDepth, options.ControlRequests, cancellationToken),
        };
        foreach (var query in captured)
        {
            Log($"{feed.Label}: {query.Kind}: SQL alone p50 {query.SqlAlone.P50:0.000} ms; plan: {string.Join(" | ", query.Plan.Select(p => p.Trim()))}");
        }

        return captured;
    }

    private static void Log(string message) =>
        Console.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace GraphNotifications.Bench.FeedPage;

/// <summary>
/// <c>$filter=appNotificationId eq '…'</c> (issue 14, section 3): the app finds its notification by its own id, in a
/// user's feed and in its <c>notifications</c> set, on feeds of 1,000 and 100,000 (<c>--sizes</c>). The stores are the
/// feed bench's (<see cref="FeedStore"/>: every notification has <c>appNotificationId</c> "build-{i}"), one service per
/// size, all running; each round asks every service for a random id of its feed, side by side, and checks that the
/// answer is that one notification. A control filter the index cannot serve (<c>contains</c>) shows what a scan costs.
/// </summary>
/// <remarks><c>bench/run-feed-page.sh --dynamic-filter [--sizes 1000,100000] [--requests 400] [--results path]</c></remarks>
internal static class DynamicFilterBench
{
    public const string Switch = "--dynamic-filter";

    private sealed record Series(string Path, int Size, Latency Latency);

    public static async Task<int> RunAsync(string[] args)
    {
        string? publish = Value(args, "--publish");
        if (publish is null)
        {
            Console.Error.WriteLine("--publish <folder of the published service> is required (bench/run-feed-page.sh passes it).");
            return 64;
        }

        publish = Path.GetFullPath(publish);

        int[] sizes = Value(args, "--sizes") is { } list ? [.. list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : [1_000, 100_000];
        int requests = Value(args, "--requests") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 400;
        int controls = Math.Max(10, requests / 10);
        string root = Directory.GetCurrentDirectory(); // bench/run-feed-page.sh runs from the repository's root
        string results = Value(args, "--results") ?? Path.Combine(root, "bench/results", $"{DateTime.UtcNow:yyyy-MM-dd}-dynamic-filter.md");
        string command = Value(args, "--command") ?? "bench/run-feed-page.sh --dynamic-filter";
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var machine = Machine.Describe(root);
        var clock = Stopwatch.StartNew();

        var folders = new List<DirectoryInfo>();
        var services = new List<ServiceUnderTest>();
        var clients = new List<FeedClient>();
        try
        {
            var stores = new List<FeedStore>();
            foreach (int size in sizes)
            {
                var folder = Directory.CreateTempSubdirectory("graphnotifications-dynamic-filter-");
                folders.Add(folder);
                var store = await FeedStore.CreateAsync(Path.Combine(folder.FullName, "notifications.db"), size, cancel.Token);
                stores.Add(store);
                var service = await ServiceUnderTest.StartAsync(publish, store.DatabasePath, [], cancel.Token);
                services.Add(service);
                clients.Add(new FeedClient(service.Root, ServiceUnderTest.AppOnlyToken()));
                Console.WriteLine($"N={size:N0}: seeded in {store.SeedTime.TotalSeconds:0.0} s, service pid {service.Pid}");
            }

            var random = new Random(14);
            var series = new List<Series>();
            string[] paths = ["feed", "notifications", "feed, contains() (scan)"];
            foreach (string path in paths)
            {
                series.AddRange(sizes.Select(s => new Series(path, s, new Latency())));
            }

            // Warm-up, then measured rounds: every size in turn, so that the machine's noise falls on all alike.
            for (int round = -requests / 4; round < requests; round++)
            {
                for (int i = 0; i < sizes.Length; i++)
                {
                    foreach (string path in paths)
                    {
                        if (path.Contains("scan", StringComparison.Ordinal) && (round < 0 || round >= controls))
                        {
                            continue;
                        }

                        int index = random.Next(sizes[i]);
                        var (ms, body) = await clients[i].GetAsync(Uri(path, index), null, cancel.Token);
                        var (ids, titles, _) = FeedClient.Read(body);
                        if (ids.Count != 1 || titles[0] != FeedStore.TitleOf(index))
                        {
                            throw new InvalidOperationException($"{path} at N={sizes[i]:N0}: build-{index} answered {ids.Count} items ({string.Join(", ", titles)}).");
                        }

                        if (round >= 0)
                        {
                            series.Single(s => s.Path == path && s.Size == sizes[i]).Latency.Add(ms);
                        }
                    }
                }
            }

            machine.Add(("Load average at the end", Machine.LoadAverage()));
            string report = Render(series, sizes, requests, controls, machine, command, clock.Elapsed);
            Directory.CreateDirectory(Path.GetDirectoryName(results)!);
            await File.WriteAllTextAsync(results, report);
            Console.WriteLine(report);
            Console.WriteLine($"Written to {results}");
            return 0;
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            services.ForEach(s => s.Dispose());
            SqliteConnection.ClearAllPools();
            folders.ForEach(f => f.Delete(recursive: true));
        }
    }

    private static Uri Uri(string path, int index)
    {
        string filter = path.Contains("contains", StringComparison.Ordinal)
            ? $"contains(appNotificationId, 'build-{index}') and endswith(appNotificationId, '-{index}')"
            : $"appNotificationId eq 'build-{index}'";
        string collection = path.StartsWith("feed", StringComparison.Ordinal) ? $"users/{FeedStore.UserId}/notifications" : "notifications";
        return new Uri($"{collection}?$filter={System.Uri.EscapeDataString(filter)}", UriKind.Relative);
    }

    private static string Render(List<Series> series, int[] sizes, int requests, int controls, List<(string Label, string Value)> machine, string command, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# `$filter=appNotificationId eq '…'` on feeds of {string.Join(" and ", sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{command}` ({elapsed.TotalMinutes:0.0} min). SQLite store seeded by `FeedStore` (one user's feed of N notifications of one app, each with `appNotificationId` \"build-{{i}}\"), the service published in Release, one service per N, all running; one client, one request at a time; each request asks for a random id and must answer that notification alone. {requests} measured requests per row after {requests / 4} of warm-up ({controls} for the scan control), the sizes interleaved in one loop.");
        text.AppendLine();
        text.AppendLine("**The machine was shared** (2 cores, other engineers building and testing at the same time): read the ratios measured side by side, not the absolute times.");
        text.AppendLine();
        text.AppendLine("| Request | N | p50 ms | p90 ms | p99 ms | p50 ratio to the smallest N |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var group in series.GroupBy(s => s.Path))
        {
            double baseline = group.First().Latency.P50;
            foreach (var s in group)
            {
                string request = s.Path switch
                {
                    "feed" => $"`GET /users/{{id}}/notifications?$filter=appNotificationId eq 'build-i'`",
                    "notifications" => "`GET /notifications?$filter=appNotificationId eq 'build-i'`",
                    _ => "control: `GET /users/{id}/notifications?$filter=contains(appNotificationId,'build-i') and endswith(…)` (no index: a scan)",
                };
                text.AppendLine(CultureInfo.InvariantCulture, $"| {request} | {s.Size:N0} | {s.Latency.P50:0.00} | {s.Latency.P90:0.00} | {s.Latency.P99:0.00} | {s.Latency.P50 / baseline:0.00}x |");
            }
        }

        text.AppendLine();
        text.AppendLine("## Machine");
        text.AppendLine();
        foreach (var (label, value) in machine)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {label}: {value}");
        }

        return text.ToString();
    }

    private static string? Value(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GraphNotifications.Bench.FeedPage;
using Microsoft.Data.Sqlite;

namespace GraphNotifications.Bench.Harness.Recipient;

/// <summary>
/// The unread badge (docs/recipient.md): <c>GET /me/notifications/$count?$filter=readState eq 'unread'</c> on feeds
/// of 1,000 and 100,000 items of which 10% are unread, one request at a time (the p50 is the time of one count, not of
/// a queue), beside the plain <c>$count</c> of the same feed (which counts every item) and the first page of the
/// unread items. Service only: the ceiling (bench/Baseline) has no recipient state.
/// <c>bench/run.sh --recipient</c> runs it alone; results in <c>bench/results/&lt;date&gt;-recipient.md</c>.
/// </summary>
internal static class BadgeBench
{
    private const string Badge = "/v1.0/me/notifications/$count?$filter=readState%20eq%20'unread'";
    private const string FullCount = "/v1.0/me/notifications/$count";
    private const string UnreadPage = "/v1.0/me/notifications?$filter=readState%20eq%20'unread'&$top=20";

    public static async Task<int> RunAsync(string[] args)
    {
        string Value(string name, string fallback) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() ?? fallback;
        bool smoke = args.Contains("--smoke");
        string root = Path.GetFullPath(Value("repository", "."));
        string service = Path.GetFullPath(Value("service", Path.Combine(root, "bench", ".out", "service")));
        int[] sizes = [.. Value("sizes", smoke ? "1000,10000" : "1000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        int requests = int.Parse(Value("requests", smoke ? "50" : "2000"), CultureInfo.InvariantCulture);
        string date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string results = Value("results", Path.Combine(root, "bench", "results", smoke ? "tmp" : "", $"{date}-recipient.md"));
        if (!results.EndsWith(".md", StringComparison.Ordinal))
        {
            results = Path.Combine(results, $"{date}-recipient.md");
        }

        var machine = Machine.Describe(root);
        string work = Directory.CreateTempSubdirectory("graphnotifications-badge-").FullName;
        try
        {
            string file = Path.Combine(work, "notifications.db");
            await SeededStore.CreateEmptyAsync(file);
            Console.WriteLine($"seeding feeds of {string.Join(", ", sizes)} with 10% unread");
            SeededStore.Seed(file, sizes, [], 0, CancellationToken.None);
            MarkNineInTenRead(file, sizes);

            using var target = Target.Start(TargetKind.Service(service), file);
            using var http = new HttpClient { BaseAddress = target.Root, Timeout = TimeSpan.FromSeconds(30) };
            var rows = new List<string>();
            foreach (int size in sizes)
            {
                string token = Tokens.Delegated(SeededStore.FeedUser(size));
                await WaitUntilServedAsync(http, token, target);
                string counted = await GetAsync(http, Badge, token);
                if (counted != (size / 10).ToString(CultureInfo.InvariantCulture))
                {
                    throw new InvalidOperationException($"The badge of the feed of {size} says {counted}, not {size / 10}.");
                }

                foreach (var (name, path) in new[] { ("badge ($count, readState eq 'unread')", Badge), ("$count of the whole feed", FullCount), ("first page of unread ($top=20)", UnreadPage) })
                {
                    var (p50, p99) = await MeasureAsync(http, path, token, requests);
                    rows.Add($"| {size:N0} | {name} | {p50:0.00} | {p99:0.00} |");
                    Console.WriteLine($"N={size:N0} {name}: p50 {p50:0.00} ms, p99 {p99:0.00} ms");
                }
            }

            var report = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"# The unread badge, {date}")
                .AppendLine()
                .AppendLine("`GET /v1.0/me/notifications/$count?$filter=readState eq 'unread'` on a user's feed where one item in ten is unread")
                .AppendLine("(the store: SQLite, seeded as bench/run.sh seeds it), one request at a time over one connection after a")
                .AppendLine(CultureInfo.InvariantCulture, $"warm-up of {requests / 4} requests, {requests} measured. Beside it the `$count` of the whole feed and the first")
                .AppendLine("page of the unread items. Latency from the client (HttpClient) in milliseconds.")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Command: `{string.Join(' ', new[] { "bench/run.sh" }.Concat(args.Where(a => a is not ("--repository" or "--service" or "--baseline" or "--command") && !a.Contains('/', StringComparison.Ordinal))))}`")
                .AppendLine()
                .AppendLine("| Feed | Request | p50 (ms) | p99 (ms) |")
                .AppendLine("|---:|---|---:|---:|");
            rows.ForEach(r => report.AppendLine(r));
            report.AppendLine().AppendLine("Machine:").AppendLine();
            foreach (var (key, value) in machine)
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"- {key}: {value}");
            }

            report.AppendLine(CultureInfo.InvariantCulture, $"- Load average at the end: {Machine.LoadAverage()}");
            Directory.CreateDirectory(Path.GetDirectoryName(results)!);
            await File.WriteAllTextAsync(results, report.ToString());
            Console.WriteLine($"Written to {results}");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Nine items in ten of each feed read (their state version raised, as a PATCH would), one in ten unread.</summary>
    private static void MarkNineInTenRead(string file, IEnumerable<int> sizes)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        foreach (int size in sizes)
        {
            using var command = connection.CreateCommand();
            // The seed creates a feed's items one millisecond apart: every tenth millisecond stays unread.
            command.CommandText = """
                UPDATE "UserNotificationLinks" SET "ReadState" = 1, "StateVersion" = 2
                WHERE "UserId" = $user AND ("CreatedAt" / 10000) % 10 <> 0;
                """;
            command.Parameters.AddWithValue("$user", SeededStore.FeedUser(size));
            command.ExecuteNonQuery();
        }

        // No ANALYZE here: statistics are the service's to gather (PRAGMA optimize at its start-up).
        using var created = connection.CreateCommand();
        created.CommandText = "UPDATE \"Notifications\" SET \"CreatedDateTime\" = \"CreatedAt\";";
        created.ExecuteNonQuery();
    }

    private static async Task WaitUntilServedAsync(HttpClient http, string token, Target target)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (target.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"The service did not start:{Environment.NewLine}{target.RecentOutput}");
            }

            try
            {
                await GetAsync(http, FullCount, token);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }
    }

    private static async Task<string> GetAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK ? text : throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {text}");
    }

    private static async Task<(double P50, double P99)> MeasureAsync(HttpClient http, string path, string token, int requests)
    {
        for (int i = 0; i < requests / 4; i++)
        {
            await GetAsync(http, path, token);
        }

        var times = new double[requests];
        for (int i = 0; i < requests; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await GetAsync(http, path, token);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[requests / 2], times[(int)(requests * 0.99)]);
    }
}

using System.Globalization;
using System.Text;

namespace GraphNotifications.Bench.FeedPage;

/// <summary>The results as markdown: the tables first, then how they were obtained.</summary>
internal static class Report
{
    public static string Render(BenchOptions options, List<(string Label, string Value)> machine, List<SizeResult> results, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        string date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Line(md, $"# Feed page latency, {date}{(options.Quick ? " (quick run: a smoke test, not a result)" : "")}");
        Line(md);
        Line(md, "One user's feed of one app's notifications, N long, read by an app-only caller over one connection, one");
        Line(md, "request at a time, from the published service (Release, Production, SQLite). Times are milliseconds from");
        Line(md, "sending the request to the last byte of the answer, on loopback; see bench/README.md for how to read them.");
        Line(md);

        var smallest = results[0];
        var largest = results[^1];
        Line(md, "## Summary");
        Line(md);
        Line(md, $"| | {string.Join(" | ", results.Select(r => $"N = {r.Size:N0}"))} | N = {largest.Size:N0} vs N = {smallest.Size:N0} |");
        Line(md, $"|---|{string.Concat(results.Select(_ => "---:|"))}---:|");
        Line(md, $"| `$top=20` p50 (ms) | {Cells(results, r => Ms(r.Top20.P50))} | {Ratio(largest.Top20.P50, smallest.Top20.P50)} |");
        Line(md, $"| `$top=20` p99 (ms) | {Cells(results, r => Ms(r.Top20.P99))} | {Ratio(largest.Top20.P99, smallest.Top20.P99)} |");
        Line(md, $"| deep page p50 / first page p50 | {Cells(results, r => Ratio(r.Depths[1].Ratio) + $" (depth {r.Depths[1].Depth:N0})")} | |");
        Line(md, $"| far page p50 / first page p50 | {Cells(results, r => Far(r) is { } m ? Ratio(m.Ratio) + $" (depth {m.Depth:N0})" : "n/a")} | |");
        Line(md, $"| OFFSET control p50 / `$top=20` p50 | {Cells(results, r => Ratio(r.Depths[^1].Ratio) + $" (`$skip={r.Depths[^1].Depth:N0}`)")} | |");
        Line(md, $"| seeding (s) | {Cells(results, r => r.Seed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture))} | |");
        Line(md);

        Line(md, "## One page: `GET /v1.0/users/{id}/notifications?$top=20`");
        Line(md);
        Line(md, "One service per feed length, all running at once, requested round-robin in one loop: the lengths are");
        Line(md, "compared side by side, under the same noise.");
        Line(md);
        Line(md, "| N | requests | p50 | p90 | p99 | mean | p50 vs smallest N |");
        Line(md, "|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Line(md, $"| {r.Size:N0} | {r.Top20.Count} | {Ms(r.Top20.P50)} | {Ms(r.Top20.P90)} | {Ms(r.Top20.P99)} | {Ms(r.Top20.Mean)} | {Ratio(r.Top20.P50, smallest.Top20.P50)} |");
        }

        Line(md);
        Line(md, "## Depth: `Prefer: odata.maxpagesize=20`, pages reached by following `@odata.nextLink`");
        Line(md);
        Line(md, "The first, deep and far pages were requested round-robin in one loop (the machine's noise falls on all");
        Line(md, "of them alike); the OFFSET control (`$skip`, which keyset paging avoids; as deep as the far page) was measured after them,");
        Line(md, "alternated with the plain `$top=20` page, to show what a cost that grows with depth looks like on this machine.");
        Line(md);
        Line(md, "| N | page | items before it | requests | p50 | p90 | p99 | mean | p50 ratio |");
        Line(md, "|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            foreach (var s in r.Depths)
            {
                string ratio = $"{Ratio(s.Ratio)} of {s.ReferenceName}";
                Line(md, $"| {r.Size:N0} | {s.Page} | {s.Depth:N0} | {s.Latency.Count} | {Ms(s.Latency.P50)} | {Ms(s.Latency.P90)} | {Ms(s.Latency.P99)} | {Ms(s.Latency.Mean)} | {ratio} |");
            }
        }

        Line(md);
        Line(md, "## Seeding (migrations through the service's own start-up code, then prepared inserts, 50,000 per transaction)");
        Line(md);
        Line(md, "| N | migrate (s) | seed (s) | notifications/s | file (MB) | walk to the deep pages (s) |");
        Line(md, "|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Line(md, $"| {r.Size:N0} | {r.Migrate.TotalSeconds:0.00} | {r.Seed.TotalSeconds:0.00} | {r.Size / r.Seed.TotalSeconds:N0} | {r.FileBytes / 1048576.0:0} | {r.WalkTime.TotalSeconds:0.0} |");
        }

        Line(md);
        Line(md, "## Warm-up of the freshly started services (`$top=20`, round-robin, before the first measured series)");
        Line(md);
        Line(md, $"At least {options.Warmup} requests each and {options.WarmupTime.TotalSeconds:0} s, then until every service's median over its last 100");
        Line(md, $"requests is within 10% of its best such median (at most {2 * options.WarmupTime.TotalSeconds:0} s).");
        Line(md);
        Line(md, "| N | requests | seconds | p50 of the first 100 | p50 of the last 100 | cold / warm |");
        Line(md, "|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Line(md, $"| {r.Size:N0} | {r.Warmup.Requests} | {r.Warmup.Time.TotalSeconds:0.0} | {Ms(r.Warmup.FirstP50)} | {Ms(r.Warmup.LastP50)} | {Ratio(r.Warmup.FirstP50, r.Warmup.LastP50)} |");
        }

        if (results.Any(r => r.Queries.Count > 0))
        {
            Line(md);
            Line(md, "## The SQL the service issues, and SQLite's plan for it");
            Line(md);
            Line(md, "Captured from a second run of the service with `--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information`");
            Line(md, "(not the measured run), one request of each kind; `EXPLAIN QUERY PLAN` and the SQL-alone times come from the same");
            Line(md, $"SQLite library the service loads (SQLite {FeedStore.SqliteVersion()}), parameters bound to the request's values, on the same file.");
            Line(md);
            Line(md, "| N | query | SQL alone p50 (ms) | SQL alone p99 (ms) | plan |");
            Line(md, "|---:|---|---:|---:|---|");
            foreach (var r in results)
            {
                foreach (var q in r.Queries)
                {
                    Line(md, $"| {r.Size:N0} | {q.Kind} | {q.SqlAlone.P50:0.000} | {q.SqlAlone.P99:0.000} | {string.Join("<br>", q.Plan.Select(p => "`" + p.Trim() + "`"))} |");
                }
            }

            foreach (var q in results.Last(r => r.Queries.Count > 0).Queries)
            {
                Line(md);
                Line(md, $"{q.Kind} (N = {largest.Size:N0}):");
                Line(md);
                Line(md, "```sql");
                Line(md, q.Sql);
                Line(md, "```");
                Line(md);
                Line(md, "```");
                Line(md, "QUERY PLAN");
                foreach (string step in q.Plan)
                {
                    Line(md, step);
                }

                Line(md, "```");
            }
        }

        Line(md);
        Line(md, "## How it was run");
        Line(md);
        foreach (var (label, value) in machine)
        {
            Line(md, $"- {label}: {value}");
        }

        Line(md, $"- Command: `{options.Command}`");
        Line(md, $"- Settings: N = {string.Join(", ", options.Sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))}; {options.Warmup} warm-up (the first series: see the warm-up table) and {options.Requests} measured requests per series "
            + $"({options.Warmup / 2} warm-up rounds for the depth series); deep page after up to {options.DeepPages} next links of 20; "
            + $"{options.ControlRequests} OFFSET-control requests; whole run {elapsed.TotalSeconds:0} s");
        Line(md, "- Service: `dotnet GraphNotifications.Api.dll --urls http://127.0.0.1:<port> --Storage:Provider=Sqlite "
            + "--ConnectionStrings:Notifications=\"Data Source=<temp>/notifications.db\" --Authentication:Schemes:Bearer:…(this run's key) "
            + "--Logging:LogLevel:Default=Warning`, ASPNETCORE_ENVIRONMENT=Production, published with `dotnet publish -c Release`");
        return md.ToString();
    }

    private static Series? Far(SizeResult r) => r.Depths.Count == 4 ? r.Depths[2] : null;

    private static string Cells(List<SizeResult> results, Func<SizeResult, string> cell) => string.Join(" | ", results.Select(cell));

    private static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Ratio(double value, double reference) => Ratio(value / reference);

    private static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}

using System.Globalization;
using System.Text;

namespace GraphNotifications.Bench.Harness;

/// <summary>The results as markdown: the targets first, then every figure raw and as a ratio to the ceiling, then how.</summary>
internal static class Report
{
    public static string Render(HarnessOptions options, List<(string Label, string Value)> machine, RunResults results,
        List<(string Title, string File)> charts, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        string date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Line(md, $"# The service against its ceiling, {date}{(options.Smoke ? " (smoke run: checks the harness, not a result)" : "")}");
        Line(md);
        Line(md, "The published service (Release, Production, SQLite on a fresh file) and `bench/Baseline`, the ceiling (a");
        Line(md, "minimal-API app doing the same requests without OData or EF Core), measured side by side in one run: each");
        Line(md, "scenario runs on the service and then on the ceiling before the next begins. Ratios are service / ceiling.");
        Line(md, "See bench/README.md for what each scenario does and how to read the figures.");
        Line(md);
        if (options.Note is { } note)
        {
            Line(md, $"> **Note.** {note}");
            Line(md);
        }

        Line(md, $"Command: `{options.Command}`  ");
        Line(md, $"Load average at the start and end: {machine.First(m => m.Label == "Load average at the start").Value} / {machine.First(m => m.Label == "Load average at the end").Value}");
        Line(md);

        Targets(md, options, results);
        if (options.ColdOnly)
        {
            ColdStarts(md, results);
            Line(md, $"Scenario 5 only (`--cold-only`): no seeding, no load. The run took {elapsed.TotalMinutes:0.0} minutes.");
            Line(md);
            MachineTable(md, machine);
            return md.ToString();
        }

        Scenarios(md, results);
        Memory(md, results);
        ColdStarts(md, results);
        Delivery(md, results);

        Line(md, "## Response body");
        Line(md);
        Line(md, results.BodyComparison.Replace(Environment.NewLine, "  " + Environment.NewLine, StringComparison.Ordinal));
        Line(md);

        if (charts.Count > 0)
        {
            Line(md, "## Charts");
            Line(md);
            foreach (var (title, file) in charts)
            {
                Line(md, $"![{title}]({file})");
                Line(md);
            }
        }

        Line(md, "## How");
        Line(md);
        Line(md, $"- Load: `wrk -t1` (one thread: the machine's cores are shared with it), {options.WarmupSeconds} s of warm-up (not counted), then {options.Seconds} s measured, per scenario and target.");
        Line(md, $"  Scenarios 1, 3 and 4 use {HarnessOptions.Connections} connections (throughput); scenario 2 uses {HarnessOptions.PageConnections}, one request at a time, so that its p50 is a page's time and not a queue's.");
        Line(md, "  Latencies are wrk's (send to last byte, per connection); every answer had to be 2xx, or the run fails.");
        Line(md, "- Memory: the process's resident set (`VmRSS`), read every 200 ms. *Peak* is the highest reading during the scenario (warm-up included),");
        Line(md, "  *steady* the median of the second half of its measured part. *At rest*: before the first scenario, and a while after the last.");
        Line(md, $"- Stores: one template, seeded with the service's migrations and prepared inserts in {results.SeedTime.TotalSeconds:0.0} s ({results.SeedBytes / 1048576.0:0} MB), copied for each process.");
        Line(md, "  Both open it as the service does: WAL, `synchronous=FULL` (a 201 or 204 is on disk), `busy_timeout=5000`. The ceiling");
        Line(md, "  commits the writes that wait at the same moment in one transaction (group commit) and answers each only after that commit.");
        Line(md, "- Tokens: HMAC-signed JWTs of a key generated for the run, trusted through `Authentication:Schemes:Bearer`; rate limits raised");
        Line(md, "  (`Limits:PermitsPerApp`, `Limits:PermitsPerUser`) on both, which keep their limiter in the request path.");
        if (options.BaselineArgument is { } extra)
        {
            Line(md, $"- The ceiling ran with `{extra}` (an experiment, not the ceiling as it stands).");
        }

        Line(md, $"- The run took {elapsed.TotalMinutes:0.0} minutes.");
        Line(md);
        MachineTable(md, machine);
        return md.ToString();
    }

    private static void MachineTable(StringBuilder md, List<(string Label, string Value)> machine)
    {
        Line(md, "## Machine");
        Line(md);
        Line(md, "| | |");
        Line(md, "|---|---|");
        foreach (var (label, value) in machine)
        {
            Line(md, $"| {label} | {value} |");
        }
    }

    private static void Targets(StringBuilder md, HarnessOptions options, RunResults results)
    {
        Line(md, "## Issue 6's targets");
        Line(md);
        Line(md, "| Target | Measured | Met |");
        Line(md, "|---|---|:---:|");
        if (results.Scenarios.FirstOrDefault(s => s.Key.StartsWith("1.", StringComparison.Ordinal)) is { } post)
        {
            Line(md, $"| POST throughput at least 50% of the ceiling's | {Percent(post.ThroughputRatio)} ({post.Service.Wrk.RequestsPerSecond:0} vs {post.Baseline.Wrk.RequestsPerSecond:0} req/s) | {Met(post.ThroughputRatio >= 0.5)} |");
            Line(md, $"| POST p99 under 20 ms | {Ms(post.Service.Wrk.P99Us)} ms (ceiling {Ms(post.Baseline.Wrk.P99Us)} ms) | {Met(post.Service.Wrk.P99Us < 20_000)} |");
        }

        var pages = results.Scenarios.Where(s => s.Key.StartsWith("2.", StringComparison.Ordinal)).ToList();
        if (pages.Count > 1)
        {
            var (small, large) = (pages[0], pages[^1]);
            double growth = (double)large.Service.Wrk.P50Us / small.Service.Wrk.P50Us;
            Line(md, $"| page p50 at the longest feed within 1.5x of the shortest | {growth:0.00}x ({Ms(large.Service.Wrk.P50Us)} vs {Ms(small.Service.Wrk.P50Us)} ms; {large.Key[3..]} vs {small.Key[3..]}) | {Met(growth <= 1.5)} |");
            Line(md, $"| page p50 under 5 ms at the longest feed | {Ms(large.Service.Wrk.P50Us)} ms (ceiling {Ms(large.Baseline.Wrk.P50Us)} ms) | {Met(large.Service.Wrk.P50Us < 5_000)} |");
        }

        if (results.Scenarios.Count > 0)
        {
            double peak = results.Scenarios.Max(s => s.Service.PeakMiB);
            Line(md, $"| RSS under 300 MB during every scenario | highest peak {peak:0} MiB (ceiling {results.Scenarios.Max(s => s.Baseline.PeakMiB):0} MiB) | {Met(peak * 1.048576 < 300)} |");
        }

        if (results.AfterLoad.FirstOrDefault(a => a.Target == "service") is { } rest)
        {
            double ratio = rest.EndMiB / rest.IdleMiB;
            Line(md, $"| RSS back under 1.5x idle {rest.Seconds} s after the load | {ratio:0.00}x ({rest.EndMiB:0} vs {rest.IdleMiB:0} MiB){(options.Smoke ? "; smoke: not 30 s" : "")} | {Met(ratio < 1.5)} |");
        }

        if (results.ColdStarts.FirstOrDefault(c => c.Target == "service") is { } cold)
        {
            double p50 = Median(cold.Milliseconds);
            Line(md, $"| cold start under 1.5 s to the first 201 | {p50:0} ms p50 of {cold.Milliseconds.Count} (schema present; {Median(results.ColdStarts[2].Milliseconds):0} ms on a new file) | {Met(p50 < 1500)} |");
        }

        Line(md);
    }

    private static void Delivery(StringBuilder md, RunResults results)
    {
        if (results.Delivery is not { } d)
        {
            return;
        }

        Line(md, "## 6. Delivery latency: a create's 201 to its change notification at the webhook (service only)");
        Line(md);
        Line(md, $"One subscription to a feed, {d.Creates} creates into it at {d.RatePerSecond:0} a second, one at a time; the webhook is a listener in the harness.");
        Line(md);
        Line(md, "| delivered | p50 (ms) | p99 (ms) | max (ms) | arrived before the 201 (counted as 0) |");
        Line(md, "|---|---|---|---|---|");
        Line(md, $"| {d.Delivered} / {d.Creates} | {d.P50Ms:0.0} | {d.P99Ms:0.0} | {d.MaxMs:0.0} | {d.BeforeThe201} |");
        Line(md);
    }

    private static void Scenarios(StringBuilder md, RunResults results)
    {
        Line(md, "## Throughput and latency");
        Line(md);
        Line(md, "| Scenario | conn. | service req/s | ceiling req/s | ratio | service p50 | ceiling p50 | ratio | service p90 | ceiling p90 | service p99 | ceiling p99 | ratio | CPU per request, service / ceiling (ms) | ratio | requests (service / ceiling) |");
        Line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in results.Scenarios)
        {
            var (a, b) = (s.Service.Wrk, s.Baseline.Wrk);
            Line(md, $"| {s.Key} | {s.Connections} | {a.RequestsPerSecond:0} | {b.RequestsPerSecond:0} | {s.ThroughputRatio:0.00} | {Ms(a.P50Us)} | {Ms(b.P50Us)} | {Ratio(a.P50Us, b.P50Us)} | {Ms(a.P90Us)} | {Ms(b.P90Us)} | {Ms(a.P99Us)} | {Ms(b.P99Us)} | {Ratio(a.P99Us, b.P99Us)} | {s.Service.CpuMsPerRequest:0.000} / {s.Baseline.CpuMsPerRequest:0.000} | {s.Service.CpuMsPerRequest / s.Baseline.CpuMsPerRequest:0.00} | {a.Requests:N0} / {b.Requests:N0} |");
        }

        Line(md);
        Line(md, "Times in milliseconds. *CPU per request* is the process's CPU time (user and system) during the measured part divided by the requests answered: it moves much less with the machine's load than throughput does. Scenarios:");
        Line(md);
        foreach (var s in results.Scenarios)
        {
            Line(md, $"- **{s.Key}**: {s.Title}.");
        }

        Line(md, "- **5. cold start**: below.");
        Line(md);
    }

    private static void Memory(StringBuilder md, RunResults results)
    {
        Line(md, "## Memory (resident set, MiB)");
        Line(md);
        Line(md, "| Scenario | service peak | service steady | ceiling peak | ceiling steady | steady ratio |");
        Line(md, "|---|---:|---:|---:|---:|---:|");
        foreach (var s in results.Scenarios)
        {
            Line(md, $"| {s.Key} | {s.Service.PeakMiB:0} | {s.Service.SteadyMiB:0} | {s.Baseline.PeakMiB:0} | {s.Baseline.SteadyMiB:0} | {s.Service.SteadyMiB / s.Baseline.SteadyMiB:0.00} |");
        }

        Line(md);
        Line(md, "| At rest | idle, before any load | after the load | after / idle | highest ever (VmHWM) |");
        Line(md, "|---|---:|---:|---:|---:|");
        foreach (var a in results.AfterLoad)
        {
            Line(md, $"| {a.Target} | {a.IdleMiB:0} | {a.EndMiB:0} ({a.Seconds} s later) | {a.EndMiB / a.IdleMiB:0.00} | {a.PeakMiB:0} |");
        }

        if (results.AfterLoad.Count == 2)
        {
            var (s, b) = (results.AfterLoad[0], results.AfterLoad[1]);
            Line(md, $"| ratio service / ceiling | {s.IdleMiB / b.IdleMiB:0.00} | {s.EndMiB / b.EndMiB:0.00} | | {s.PeakMiB / b.PeakMiB:0.00} |");
        }

        Line(md);
    }

    private static void ColdStarts(StringBuilder md, RunResults results)
    {
        Line(md, "## 5. Cold start: process start to the first 201 (ms)");
        Line(md);
        Line(md, "`dotnet <app>.dll` started, the seed's example POSTed as soon as the port accepts connections, until a 201. Each start on a fresh copy of an empty store with the service's schema, the targets alternating; the last row is the service on a file that does not exist yet (it applies its migrations first).");
        Line(md);
        Line(md, "*CPU at the 201* is the CPU time (user and system) the process had used when the 201 came: on a busy machine the wall clock grows with the load, the CPU time much less.");
        Line(md);
        Line(md, "| Target | store | starts | p50 | min | max | p50 ratio to the ceiling | CPU at the 201, p50 | CPU ratio to the ceiling | RSS at the 201 (MiB) |");
        Line(md, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var baseline = results.ColdStarts.FirstOrDefault(c => c.Target == "baseline");
        double ceiling = baseline is null ? double.NaN : Median(baseline.Milliseconds);
        double ceilingCpu = baseline is null ? double.NaN : Median(baseline.CpuMilliseconds);
        foreach (var c in results.ColdStarts)
        {
            Line(md, $"| {c.Target} | {c.File} | {c.Milliseconds.Count} | {Median(c.Milliseconds):0} | {c.Milliseconds.Min():0} | {c.Milliseconds.Max():0} | {Median(c.Milliseconds) / ceiling:0.00} | {Median(c.CpuMilliseconds):0} | {Median(c.CpuMilliseconds) / ceilingCpu:0.00} | {Median(c.RssMiB):0} |");
        }

        Line(md);
    }

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);

    private static string Ms(long microseconds) => (microseconds / 1000.0).ToString(microseconds < 10_000 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private static string Ratio(long a, long b) => b == 0 ? "n/a" : ((double)a / b).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double ratio) => (ratio * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}

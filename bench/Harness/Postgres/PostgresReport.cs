using System.Globalization;
using System.Text;

namespace GraphNotifications.Bench.Harness.Postgres;

/// <summary>The PostgreSQL scenario's markdown: each round side by side, the ratios the targets name, delivery, pgbench.</summary>
internal static class PostgresReport
{
    public static string Render(HarnessOptions options, List<(string Label, string Value)> machine, ScalingResults results, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        Line(md, $"# PostgreSQL scale-out, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(options.Smoke ? " (smoke run: checks the harness, not a result)" : "")}");
        Line(md);
        Line(md, $"Command: `{options.Command}`  ");
        Line(md, $"PostgreSQL {results.ServerVersion}, a throwaway cluster with default settings (synchronous_commit on). Each load: {options.WarmupSeconds} s of warm-up, then {options.Seconds} s measured; POST of the seed's corrected example to /me/notifications, {HarnessOptions.Connections} connections in all (two instances: {HarnessOptions.Connections / 2} each, at once, on one database). The run took {elapsed.TotalMinutes:0.0} minutes.");
        if (options.Note is { } note)
        {
            Line(md);
            Line(md, note);
        }

        Line(md);
        foreach (var (label, value) in machine)
        {
            Line(md, $"- {label}: {value}");
        }

        Line(md);
        Line(md, "| Round | store | instances | req/s | p50 ms | p99 ms | service CPU ms/req | server CPU ms/req | commits per WAL sync | WAL bytes/req |");
        Line(md, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var round in results.Rounds)
        {
            foreach (var load in new[] { round.Sqlite, round.OnePostgres, round.TwoPostgres, round.OnePostgresUngrouped })
            {
                Line(md, $"| {round.Round} | {load.Store} | {load.Instances} | {load.RequestsPerSecond:0} | {load.P50Ms:0.0} | {load.P99Ms:0.0} | {load.ServiceCpuMsPerRequest:0.000} | {Maybe(load.ServerCpuMsPerRequest, "0.000")} | {Maybe(load.CommitsPerWalSync, "0.0")} | {Maybe(load.WalBytesPerRequest, "0")} |");
            }
        }

        Line(md);
        Line(md, "| Target | per round | median | met |");
        Line(md, "|---|---|---:|:---:|");
        Target(md, "one PostgreSQL instance ≥ 0.5x SQLite", results.Rounds.Select(r => r.OnePostgres.RequestsPerSecond / r.Sqlite.RequestsPerSecond), 0.5, "x");
        Target(md, "two instances ≥ one", results.Rounds.Select(r => r.TwoPostgres.RequestsPerSecond / r.OnePostgres.RequestsPerSecond), 1.0, "x");
        Target(md, "group commit: one instance, on / off", results.Rounds.Select(r => r.OnePostgres.RequestsPerSecond / r.OnePostgresUngrouped.RequestsPerSecond), 1.0, "x");
        var p99 = results.Rounds.SelectMany(r => new[] { r.OnePostgres.P99Ms, r.TwoPostgres.P99Ms }).ToList();
        Line(md, $"| PostgreSQL p99 ≤ 50 ms (one and two instances) | {string.Join(", ", p99.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))} ms | {Median(p99):0.0} ms | {(p99.All(v => v <= 50) ? "yes" : "no")} |");
        if (results.Delivery is { } d)
        {
            Line(md);
            Line(md, $"Webhook delivery on two instances (one subscription, creates alternating between them, {d.RatePerSecond:0}/s, from the 201 to the notification at the receiver): {d.Delivered}/{d.Creates} delivered, p50 {d.P50Ms:0.0} ms, p99 {d.P99Ms:0.0} ms, max {d.MaxMs:0.0} ms ({d.BeforeThe201} before their 201).");
        }

        Line(md);
        Line(md, $"pgbench, one-row insert (600 bytes), {HarnessOptions.Connections} clients, {options.Seconds} s, same cluster: `{results.Pgbench.Split('\n').FirstOrDefault(l => l.StartsWith("tps", StringComparison.Ordinal))?.Trim()}`");
        return md.ToString();
    }

    private static void Target(StringBuilder md, string title, IEnumerable<double> ratios, double target, string unit)
    {
        var values = ratios.ToList();
        Line(md, $"| {title} | {string.Join(", ", values.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture) + unit))} | {Median(values):0.00}{unit} | {(Median(values) >= target ? "yes" : "no")} |");
    }

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);

    private static string Maybe(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}

using System.Diagnostics;
using System.Globalization;

namespace GraphNotifications.Bench.Harness.Postgres;

/// <summary>One load of the PostgreSQL scenario: POSTs spread over one or two instances, all measured at once.</summary>
internal sealed record ScalingLoad(
    string Store, int Instances, int Connections, double RequestsPerSecond, long Requests, double P50Ms, double P99Ms,
    double ServiceCpuMsPerRequest, double? ServerCpuMsPerRequest, double? CommitsPerWalSync, double? WalBytesPerRequest);

/// <summary>
/// One round: SQLite, one PostgreSQL instance and two, and one instance with its creates saved one at a time (group
/// commit off, for comparison), one after the other, so the machine's noise falls on all of them.
/// </summary>
internal sealed record ScalingRound(int Round, ScalingLoad Sqlite, ScalingLoad OnePostgres, ScalingLoad TwoPostgres, ScalingLoad OnePostgresUngrouped);

internal sealed record ScalingResults(string ServerVersion, List<ScalingRound> Rounds, DeliveryLatencyResult? Delivery, string Pgbench);

/// <summary>
/// The PostgreSQL scenario (<c>bench/run.sh --postgres</c>): POST throughput and latency at 32 connections on SQLite, on
/// one instance on PostgreSQL, and on two instances sharing one database (16 connections each), in rounds; then the
/// delivery latency of webhooks with two instances (creates alternate between them; one subscription); then
/// <c>pgbench</c>'s one-row insert at 32 clients, the server's own ceiling. Each load gets a database of its own in a
/// throwaway cluster (<see cref="PostgresCluster"/>), warmed up first, then measured.
/// </summary>
internal sealed class PostgresScaling(HarnessOptions options, string workDirectory, Action<string> log)
{
    private const int Connections = HarnessOptions.Connections;

    public async Task<ScalingResults> RunAsync(CancellationToken cancellationToken)
    {
        await using var cluster = await PostgresCluster.StartAsync(cancellationToken);
        log($"PostgreSQL {cluster.Version} on 127.0.0.1:{cluster.Port}");
        string body = Path.Combine(workDirectory, "seed-example.json");
        await File.WriteAllTextAsync(body, SeedExample.Corrected(DateTimeOffset.UtcNow.AddDays(7)), cancellationToken);
        var service = TargetKind.Service(options.ServiceDirectory);

        var rounds = new List<ScalingRound>();
        for (int round = 1; round <= options.PostgresRounds; round++)
        {
            string empty = Path.Combine(Directory.CreateDirectory(Path.Combine(workDirectory, $"round{round}")).FullName, "notifications.db");
            await SeededStore.CreateEmptyAsync(empty);
            var sqlite = await LoadAsync("SQLite", [service], empty, null, body, cancellationToken);
            string one = $"one{round}", two = $"two{round}";
            await cluster.CreateDatabaseAsync(one, cancellationToken);
            await cluster.CreateDatabaseAsync(two, cancellationToken);
            var onePostgres = await LoadAsync("PostgreSQL", [OnPostgres(service, cluster, one)], empty, (cluster, one), body, cancellationToken);
            var twoPostgres = await LoadAsync("PostgreSQL", [OnPostgres(service, cluster, two), OnPostgres(service, cluster, two)], empty, (cluster, two), body, cancellationToken);
            string ungrouped = $"ungrouped{round}";
            await cluster.CreateDatabaseAsync(ungrouped, cancellationToken);
            var ungroupedKind = OnPostgres(service, cluster, ungrouped);
            ungroupedKind = ungroupedKind with { ExtraArguments = [.. ungroupedKind.ExtraArguments, "--Storage:Postgres:GroupCommit=false"] };
            var onePostgresUngrouped = await LoadAsync("PostgreSQL, group commit off", [ungroupedKind], empty, (cluster, ungrouped), body, cancellationToken);
            rounds.Add(new ScalingRound(round, sqlite, onePostgres, twoPostgres, onePostgresUngrouped));
            log($"round {round}: SQLite {sqlite.RequestsPerSecond:0}/s p99 {sqlite.P99Ms:0.0} ms; PostgreSQL one instance {onePostgres.RequestsPerSecond:0}/s p99 {onePostgres.P99Ms:0.0} ms ({onePostgres.RequestsPerSecond / sqlite.RequestsPerSecond:0.00}x); two {twoPostgres.RequestsPerSecond:0}/s p99 {twoPostgres.P99Ms:0.0} ms ({twoPostgres.RequestsPerSecond / onePostgres.RequestsPerSecond:0.00}x one); one with group commit off {onePostgresUngrouped.RequestsPerSecond:0}/s p99 {onePostgresUngrouped.P99Ms:0.0} ms");
        }

        await cluster.CreateDatabaseAsync("delivery", cancellationToken);
        DeliveryLatencyResult delivery;
        using (var first = await StartAsync(OnPostgres(service, cluster, "delivery"), Path.Combine(workDirectory, "delivery-a.db"), body, cancellationToken))
        using (var second = await StartAsync(OnPostgres(service, cluster, "delivery"), Path.Combine(workDirectory, "delivery-b.db"), body, cancellationToken))
        {
            delivery = await new DeliveryLatency(first, log, second).RunAsync(options.DeliveryCreates, ratePerSecond: 20, cancellationToken);
        }

        await cluster.CreateDatabaseAsync("pgbench", cancellationToken);
        string pgbench = await cluster.PgbenchInsertAsync("pgbench", Connections, options.Seconds, cancellationToken);
        log($"pgbench: {pgbench.Split('\n').FirstOrDefault(l => l.StartsWith("tps", StringComparison.Ordinal))}");
        return new ScalingResults(cluster.Version, rounds, delivery, pgbench);
    }

    private static TargetKind OnPostgres(TargetKind service, PostgresCluster cluster, string database) => service with
    {
        // After Target's own store settings on the command line: the last value of a setting wins.
        ExtraArguments = [.. service.ExtraArguments, "--Storage:Provider=Postgres", $"--ConnectionStrings:Notifications={cluster.ConnectionString(database)}"],
    };

    private async Task<ScalingLoad> LoadAsync(string store, IReadOnlyList<TargetKind> kinds, string sqliteFile, (PostgresCluster Cluster, string Database)? postgres,
        string body, CancellationToken cancellationToken)
    {
        var targets = new List<Target>();
        try
        {
            foreach (var kind in kinds)
            {
                // On SQLite the one instance uses the file; on PostgreSQL the file's folder is only the working directory.
                targets.Add(await StartAsync(kind, sqliteFile, body, cancellationToken));
            }

            int each = Connections / targets.Count;
            var environment = new Dictionary<string, string>
            {
                ["BENCH_PATH"] = "/v1.0/me/notifications",
                ["BENCH_BODY_FILE"] = body,
                ["BENCH_TOKEN"] = Tokens.Delegated(SeededStore.PostUser),
            };
            string script = Path.Combine(options.RepositoryRoot, "bench", "Harness", "lua", "post.lua");
            if (options.WarmupSeconds > 0)
            {
                await Task.WhenAll(targets.Select(t => Wrk.RunAsync(t.Root, script, each, options.WarmupSeconds, environment, cancellationToken)));
            }

            var cpuBefore = targets.Select(t => t.CpuMilliseconds() ?? 0).Sum();
            var serverBefore = postgres is { } pg ? await ServerCountersAsync(pg.Cluster, cancellationToken) : null;
            var results = await Task.WhenAll(targets.Select(t => Wrk.RunAsync(t.Root, script, each, options.Seconds, environment, cancellationToken)));
            var cpuAfter = targets.Select(t => t.CpuMilliseconds() ?? 0).Sum();
            var serverAfter = postgres is { } pg2 ? await ServerCountersAsync(pg2.Cluster, cancellationToken) : null;
            foreach (var (target, result) in targets.Zip(results))
            {
                if (target.HasExited || result.Requests == 0 || result.Errors > 0)
                {
                    throw new InvalidOperationException($"{store} ×{targets.Count}: {result.Requests} requests, {result.StatusErrors} not 2xx, {result.Timeouts} timeouts, {result.ConnectErrors + result.ReadErrors + result.WriteErrors} socket errors{Environment.NewLine}{result.Log}{Environment.NewLine}{target.RecentOutput}");
                }
            }

            long requests = results.Sum(r => r.Requests);
            double? PerRequest(Func<ServerCounters, double> counter) =>
                serverBefore is { } b && serverAfter is { } a && requests > 0 ? (counter(a) - counter(b)) / requests : null;
            double? commitsPerSync = serverBefore is { } sb && serverAfter is { } sa && sa.WalSyncs > sb.WalSyncs
                ? (sa.Commits - sb.Commits) / (sa.WalSyncs - sb.WalSyncs)
                : null;
            return new ScalingLoad(store, targets.Count, Connections, results.Sum(r => r.RequestsPerSecond), requests,
                results.Max(r => r.P50Us) / 1000.0, results.Max(r => r.P99Us) / 1000.0,
                (cpuAfter - cpuBefore) / requests, PerRequest(c => c.CpuMs), commitsPerSync, PerRequest(c => c.WalBytes));
        }
        finally
        {
            foreach (var target in targets)
            {
                target.Dispose();
            }
        }
    }

    private sealed record ServerCounters(double CpuMs, double Commits, double WalSyncs, double WalBytes);

    /// <summary>The server's CPU (postmaster, its live children, and the reaped ones), commits, WAL syncs and bytes so far.</summary>
    private static async Task<ServerCounters> ServerCountersAsync(PostgresCluster cluster, CancellationToken cancellationToken)
    {
        string row = await cluster.PsqlAsync("postgres",
            "SELECT 0, (SELECT sum(xact_commit) FROM pg_stat_database), wal_sync, wal_bytes FROM pg_stat_wal", cancellationToken);
        string[] fields = row.Trim().Split('|');
        int postmaster = cluster.PostmasterPid;
        double cpu = ProcessCpuMs(postmaster, withReaped: true)
            + Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out int pid) ? pid : 0)
                .Where(pid => pid > 0 && pid != postmaster && SafeParent(pid) == postmaster).Sum(pid => ProcessCpuMs(pid, withReaped: false));
        return new ServerCounters(cpu, double.Parse(fields[1], CultureInfo.InvariantCulture), double.Parse(fields[2], CultureInfo.InvariantCulture),
            double.Parse(fields[3], CultureInfo.InvariantCulture));
    }

    private static string[] Stat(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // After the command name, which is in parentheses and may hold spaces: state is field 3.
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static int ParentOf(int pid) => int.Parse(Stat(pid)[1], CultureInfo.InvariantCulture);

    private static int SafeParent(int pid)
    {
        try
        {
            return ParentOf(pid);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    // utime, stime (fields 14, 15) and, for the reaped children, cutime, cstime (16, 17); USER_HZ is 100.
    private static double ProcessCpuMs(int pid, bool withReaped)
    {
        try
        {
            string[] f = Stat(pid);
            long ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)
                + (withReaped ? long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture) : 0);
            return ticks * 10.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Starts an instance and waits until it answers a POST with 201 (the first instance on a database migrates it).</summary>
    private static async Task<Target> StartAsync(TargetKind kind, string file, string body, CancellationToken cancellationToken)
    {
        var target = Target.Start(kind, file);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            string json = await File.ReadAllTextAsync(body, cancellationToken);
            var clock = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (target.HasExited || clock.Elapsed > TimeSpan.FromSeconds(90))
                {
                    throw new InvalidOperationException($"The service did not start:{Environment.NewLine}{target.RecentOutput}");
                }

                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(target.Root, "v1.0/me/notifications"))
                    {
                        Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.Delegated(SeededStore.PostUser));
                    using var response = await http.SendAsync(request, cancellationToken);
                    if ((int)response.StatusCode == 201)
                    {
                        return target;
                    }

                    await Task.Delay(200, cancellationToken);
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // Not listening yet, or its first answer is slow on a busy machine.
                    await Task.Delay(100, cancellationToken);
                }
            }
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }
}

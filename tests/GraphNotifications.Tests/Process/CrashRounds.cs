using System.Globalization;
using System.Net;
using Xunit.Abstractions;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// Rounds of load, SIGKILL at a random moment, restart and audit against the client's log. Each round has an app of
/// its own, so a round reads back only its own notifications; the store carries over from round to round, as a
/// service's store does over crashes. Kill points come from one seed, printed, and taken from
/// <see cref="SeedVariable"/> when it is set.
/// </summary>
public sealed class CrashRounds(ServiceProcess service, ITestOutputHelper output)
{
    public const string SeedVariable = "GRAPHNOTIFICATIONS_CRASH_SEED";

    private const int Workers = 8;
    private const int MinimumLoadMilliseconds = 500;
    private const int MaximumLoadMilliseconds = 3000;

    /// <summary>A bound on the wait for the first answer of a round, so a service that never answers fails the test.</summary>
    private static readonly TimeSpan FirstAnswerTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="rounds"/> rounds; <paramref name="checkStore"/> inspects the store while the service is
    /// down (after the kill, before the restart) and returns what is wrong with it, or nothing.
    /// </summary>
    public async Task<CrashFigures> RunAsync(int rounds, Func<IReadOnlyList<string>> checkStore)
    {
        int seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"Crash test: seed {seed} ({SeedVariable}={seed} repeats the kill points), {rounds} rounds, {Workers} workers.");
        var random = new Random(seed);
        var totals = new CrashFigures();
        var problems = new List<string>();
        string run = Guid.NewGuid().ToString("N")[..8];

        for (int round = 1; round <= rounds; round++)
        {
            int loadMilliseconds = random.Next(MinimumLoadMilliseconds, MaximumLoadMilliseconds);
            string appId = $"crash-{run}-app-r{round}";
            var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var workers = Enumerable.Range(0, Workers)
                .Select(index => new CrashWorker(service, appId, $"crash-{run}-r{round}", index, random.Next(), running))
                .ToArray();

            // The kill point is counted from the first acknowledged request: a freshly started process answers its
            // first writes slowly (JIT, first connections), and a kill before any answer would prove little.
            using var stop = new CancellationTokenSource();
            var load = workers.Select(worker => Task.Run(() => worker.RunAsync(stop.Token))).ToArray();
            await running.Task.WaitAsync(FirstAnswerTimeout);
            await Task.Delay(loadMilliseconds);
            service.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(load);

            var roundProblems = checkStore().Select(problem => $"store after the kill: {problem}").ToList();
            await service.RestartAsync();
            var figures = await AuditAsync(appId, workers, roundProblems);
            totals.Add(figures);
            output.WriteLine($"Round {round}: killed {loadMilliseconds} ms after the first answer; {figures}.");
            problems.AddRange(roundProblems.Select(problem => $"round {round}: {problem}"));
        }

        output.WriteLine($"Total: {rounds} rounds, {rounds} kills; {totals}.");
        Assert.True(problems.Count == 0, $"Seed {seed}:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        return totals;
    }

    /// <summary>Reads the restarted service's state and holds each worker's slice of it against that worker's log.</summary>
    private async Task<CrashFigures> AuditAsync(string appId, CrashWorker[] workers, List<string> problems)
    {
        using (var anonymous = service.ClientWith(token: null))
        {
            var ready = await anonymous.GetAsync(new Uri(service.BaseAddress, "/health/ready"));
            if (ready.StatusCode != HttpStatusCode.OK)
            {
                problems.Add($"/health/ready answered {(int)ready.StatusCode} after the restart");
            }
        }

        using var app = service.AppOnly(appId);
        var markers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var notification in await app.ReadAllAsync("notifications?$select=id,groupName"))
        {
            markers[notification["id"]!.GetValue<string>()] = notification["groupName"]!.GetValue<string>();
        }

        var figures = new CrashFigures();
        foreach (var worker in workers)
        {
            var actual = new CrashWorkerModel(worker.Users);
            actual.Live.UnionWith(markers.Where(m => m.Value.StartsWith(worker.Prefix + "-", StringComparison.Ordinal)).Select(m => m.Key));
            foreach (string user in worker.Users)
            {
                actual.Feeds[user].UnionWith((await app.ReadAllAsync($"users/{user}/notifications?$select=id")).Select(n => n["id"]!.GetValue<string>()));
            }

            var before = worker.Model;
            var after = before.Clone();
            var open = worker.Log.LastOrDefault(request => request.Status is null);
            if (open is not null)
            {
                string? createdId = open.Marker is null ? null : markers.FirstOrDefault(m => m.Value == open.Marker).Key;
                after.Apply(open, createdId);
            }

            bool asBefore = actual.Describe() == before.Describe();
            bool asAfter = actual.Describe() == after.Describe();
            if (!asBefore && !asAfter)
            {
                figures.Lost += Math.Min(before.Difference(actual), after.Difference(actual));
                problems.Add($"worker {worker.Index}: the store holds{Environment.NewLine}  {actual.Describe()}{Environment.NewLine}" +
                    $"but its acknowledged requests say{Environment.NewLine}  {before.Describe()}{Environment.NewLine}" +
                    $"or, with its unanswered {open?.Operation} applied whole,{Environment.NewLine}  {after.Describe()}");
            }

            foreach (string deleted in before.Deleted)
            {
                var read = await app.GetAsync($"notifications/{deleted}");
                if (read.StatusCode != HttpStatusCode.NotFound)
                {
                    figures.Lost++;
                    problems.Add($"worker {worker.Index}: {deleted}, deleted with a 204, answers {(int)read.StatusCode}");
                }
            }

            foreach (var answered in worker.Log.Where(request => request.Status is not null && !request.Acknowledged))
            {
                problems.Add($"worker {worker.Index}: {answered.Operation} {answered.NotificationId} answered {(int)answered.Status!}");
            }

            figures.Requests += worker.Log.Count;
            figures.Acknowledged += worker.Log.Count(request => request.Acknowledged);
            figures.Unanswered += open is null ? 0 : 1;
            figures.UnansweredApplied += open is not null && asAfter && !asBefore ? 1 : 0;
        }

        return figures;
    }
}

/// <summary>What the crash rounds did and found; the figures docs/operations.md quotes.</summary>
public sealed class CrashFigures
{
    public int Requests { get; set; }

    public int Acknowledged { get; set; }

    public int Unanswered { get; set; }

    public int UnansweredApplied { get; set; }

    public int Lost { get; set; }

    public void Add(CrashFigures other)
    {
        Requests += other.Requests;
        Acknowledged += other.Acknowledged;
        Unanswered += other.Unanswered;
        UnansweredApplied += other.UnansweredApplied;
        Lost += other.Lost;
    }

    public override string ToString() =>
        $"{Requests} requests, {Acknowledged} acknowledged changes checked, {Unanswered} unanswered at the kill " +
        $"({UnansweredApplied} of them applied whole, the rest not at all), lost: {Lost}";
}

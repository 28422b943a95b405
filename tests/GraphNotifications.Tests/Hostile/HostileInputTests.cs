using System.Collections.Concurrent;
using System.Diagnostics;
using CsCheck;
using GraphNotifications.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GraphNotifications.Tests.Hostile;

/// <summary>
/// The in-process service on EF Core's in-memory store and on a SQLite file, seeded once for a test class. (The
/// in-memory properties take a fresh one each: that store has no indexes, so checks slow down as it fills.)
/// </summary>
public sealed class HostileFixture : IAsyncLifetime
{
    public HostileService InMemory { get; private set; } = null!;

    public HostileService Sqlite { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        InMemory = await HostileService.StartAsync(new ServiceFactory());
        Sqlite = await HostileService.StartAsync(new SqliteServiceFactory());
    }

    public async Task DisposeAsync()
    {
        await InMemory.DisposeAsync();
        await Sqlite.DisposeAsync();
    }
}

/// <summary>
/// The properties run on their own, after the other tests: they are the heavy part of the run, and xunit honours
/// <c>[Fact(Timeout = …)]</c> only without parallelization.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileInputCollection
{
    public const string Name = "Hostile input";
}

/// <summary>
/// The hostile-input suite: generated and mutated requests thrown at the in-process service, every one checked by
/// <see cref="HostileService"/> (no 5xx, no hang, Graph errors only, nothing stored by a rejected request). The
/// number of cases is <see cref="HostileBudget"/>'s; a failure prints the shrunk case and the seed that replays it
/// (<c>CsCheck_Seed=…</c>).
/// </summary>
[Collection(HostileInputCollection.Name)]
public sealed class HostileInputTests(HostileFixture fixture, ITestOutputHelper output) : IClassFixture<HostileFixture>
{
    private const int Backstop = 20 * 60 * 1000;

    [Fact(Timeout = Backstop)]
    public async Task Creating_with_hostile_bodies_and_transports()
    {
        await using var service = await HostileService.StartAsync(new ServiceFactory());
        await RunAsync(service, HostileGen.CreateRequest, weight: 8);
    }

    [Fact(Timeout = Backstop)]
    public Task Creating_with_hostile_bodies_on_SQLite() =>
        RunAsync(fixture.Sqlite, HostileGen.CreateRequest, weight: 2);

    [Fact(Timeout = Backstop)]
    public Task Querying_with_hostile_query_strings_on_SQLite() =>
        RunAsync(fixture.Sqlite, HostileGen.QueryRequest, weight: 4, r => HostileGen.WithSkipTokens(r, fixture.Sqlite.SeedSkipTokens));

    [Fact(Timeout = Backstop)]
    public async Task Querying_with_hostile_query_strings_in_memory()
    {
        await using var service = await HostileService.StartAsync(new ServiceFactory());
        await RunAsync(service, HostileGen.QueryRequest, weight: 1, r => HostileGen.WithSkipTokens(r, service.SeedSkipTokens));
    }

    [Fact(Timeout = Backstop)]
    public async Task Keys_and_references_in_every_syntax()
    {
        await using var service = await HostileService.StartAsync(new ServiceFactory());
        await RunAsync(service, HostileGen.ReferenceRequest, weight: 3);
    }

    [Fact(Timeout = Backstop)]
    public async Task Any_verb_on_odd_paths_with_hostile_headers()
    {
        await using var service = await HostileService.StartAsync(new ServiceFactory());
        await RunAsync(service, HostileGen.PathRequest, weight: 3);
    }

    [Fact(Timeout = Backstop)]
    public async Task Recipient_state_patches_and_mark_all_as_read_bodies()
    {
        await using var service = await HostileService.StartAsync(new ServiceFactory());
        await RunAsync(service, RecipientHostileGen.Request, weight: 2);
    }

    [Fact(Timeout = Backstop)]
    public Task Recipient_state_patches_and_mark_all_as_read_bodies_on_SQLite() =>
        RunAsync(fixture.Sqlite, RecipientHostileGen.Request, weight: 1);

    [Fact(Timeout = Backstop)]
    public async Task Fan_out_bodies_and_paths()
    {
        await using var service = await HostileService.StartAsync(new ServiceFactory());
        await RunAsync(service, FanOutHostileGen.Request, weight: 1);
    }

    [Fact(Timeout = Backstop)]
    public Task Fan_out_bodies_and_paths_on_SQLite() =>
        RunAsync(fixture.Sqlite, FanOutHostileGen.Request, weight: 1);

    [Fact(Timeout = Backstop)]
    public async Task Push_endpoint_registrations()
    {
        await using var service = await HostileService.StartAsync(new ServiceFactory());
        await RunAsync(service, PushHostileGen.Request, weight: 2);
    }

    private async Task RunAsync(HostileService service, Gen<HostileRequest> requests, int weight, Func<HostileRequest, HostileRequest>? prepare = null)
    {
        int cases = HostileBudget.Cases(weight);
        var deadline = HostileBudget.Deadline(cases);
        var statuses = new ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();
        var survey = Environment.GetEnvironmentVariable("HOSTILE_SURVEY") == "1" ? new ConcurrentDictionary<string, (int Count, string Example)>() : null;

        await requests.SampleAsync(
            async request =>
            {
                if (clock.Elapsed > deadline)
                {
                    throw new XunitException($"The property ran past its deadline of {deadline.TotalSeconds:0} s: the service has slowed down.");
                }

                int status;
                try
                {
                    status = await service.CheckAsync(prepare is null ? request : prepare(request));
                }
                catch (XunitException failure) when (survey is not null)
                {
                    survey.AddOrUpdate(FailureKind(failure.Message), _ => (1, HostileRequest.Print(request) + "\n" + failure.Message), (_, seen) => (seen.Count + 1, seen.Example));
                    status = -1;
                }

                statuses.AddOrUpdate(status, 1, (_, count) => count + 1);
            },
            writeLine: output.WriteLine,
            iter: cases,
            print: HostileRequest.Print);

        output.WriteLine($"{cases} cases in {clock.Elapsed.TotalSeconds:0.0} s; answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{Describe(s.Key)}×{s.Value}"))}");
        if (survey is { IsEmpty: false })
        {
            throw new XunitException($"{survey.Count} kinds of failure:\n\n" + string.Join("\n\n", survey.Select(f => $"== {f.Value.Count}× {f.Key}\n{f.Value.Example}")));
        }
    }

    private static string Describe(int status) => status switch
    {
        HostileService.KestrelRefused => "refused by Kestrel",
        -1 => "failed",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>What a failure is about, without the ids and numbers that differ from case to case (survey mode).</summary>
    private static string FailureKind(string message)
    {
        int serviceSide = message.IndexOf("service-side:", StringComparison.Ordinal);
        string line = serviceSide >= 0
            ? string.Join(" ", message[serviceSide..].Split('\n').Where(l => l.Contains("Exception", StringComparison.Ordinal) || l.TrimStart().StartsWith("at GraphNotifications", StringComparison.Ordinal)).Take(2))
            : message.Split('\n')[0];
        line = System.Text.RegularExpressions.Regex.Replace(line, "[0-9a-f]{8}-[0-9a-f-]{27}|\\d+|'[^']*'|\"[^\"]*\"", "…");
        return line.Length <= 300 ? line : line[..300];
    }
}

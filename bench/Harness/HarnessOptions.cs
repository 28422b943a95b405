using System.Globalization;

namespace GraphNotifications.Bench.Harness;

/// <summary>What one run measures; the defaults are the full run, <c>--smoke</c> a check that the harness works.</summary>
internal sealed record HarnessOptions
{
    public required string RepositoryRoot { get; init; }

    /// <summary>The published service: the folder holding GraphNotifications.Api.dll.</summary>
    public required string ServiceDirectory { get; init; }

    /// <summary>The published ceiling: the folder holding Baseline.dll.</summary>
    public required string BaselineDirectory { get; init; }

    public bool Smoke { get; init; }

    /// <summary>Measured seconds per scenario and target.</summary>
    public int Seconds { get; init; } = 20;

    /// <summary>Seconds of load before each measurement, not counted (JIT tiers, connections, SQLite's page cache).</summary>
    public int WarmupSeconds { get; init; } = 30;

    /// <summary>Feed lengths of scenario 2.</summary>
    public int[] Sizes { get; init; } = [1_000, 100_000, 1_000_000];

    /// <summary>Process starts per target in scenario 5.</summary>
    public int ColdStarts { get; init; } = 5;

    /// <summary>Creates of scenario 6 (delivery latency), 20 a second.</summary>
    public int DeliveryCreates { get; init; } = 400;

    /// <summary>How long after the last load the resident memory is read again.</summary>
    public int AfterLoadSeconds { get; init; } = 30;

    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(25);

    /// <summary>Where the markdown goes; the charts go beside it, named after it.</summary>
    public required string ResultsPath { get; init; }

    /// <summary>The command a reader runs to reproduce the results (recorded in the results file).</summary>
    public required string Command { get; init; }

    public string? Note { get; init; }

    /// <summary>Scenario 1 only, without the cold starts: for profiling and experiments.</summary>
    public bool PostOnly { get; init; }

    /// <summary>Scenario 5 only (the cold starts), without seeding or load: for start-up work.</summary>
    public bool ColdOnly { get; init; }

    /// <summary>The PostgreSQL scenario only (<c>Postgres/PostgresScaling</c>), in its own throwaway cluster, with its own report.</summary>
    public bool Postgres { get; init; }

    /// <summary>Rounds of the PostgreSQL scenario (SQLite, one instance, two instances, each round).</summary>
    public int PostgresRounds { get; init; } = 2;

    /// <summary>One more command-line setting for the ceiling, such as <c>--Baseline:MaxBatch=1</c> (group commit off).</summary>
    public string? BaselineArgument { get; init; }

    /// <summary>
    /// Profile mode: scenario 1 only, with dotnet-trace (CPU samples) and dotnet-counters attached to each target
    /// during its measured run; their files and a top-methods report go here.
    /// </summary>
    public string? ProfileDirectory { get; init; }

    /// <summary>Where dotnet-trace and dotnet-counters are (a <c>dotnet tool install --tool-path</c> folder); else PATH.</summary>
    public string? ToolsDirectory { get; init; }

    /// <summary>Connections of the throughput scenarios (1, 3, 4).</summary>
    public const int Connections = 32;

    /// <summary>
    /// Connections of scenario 2: one request at a time, so that its p50 is the time of a page, not of a queue.
    /// </summary>
    public const int PageConnections = 1;

    public const int RefPoolSize = 2_000;

    public static HarnessOptions Parse(string[] args)
    {
        bool smoke = args.Contains("--smoke");
        bool postOnly = args.Contains("--post-only");
        bool coldOnly = args.Contains("--cold-only");
        bool postgres = args.Contains("--postgres");
        if (postOnly && coldOnly)
        {
            throw new ArgumentException("--post-only and --cold-only exclude each other.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--smoke" or "--post-only" or "--cold-only" or "--postgres")
            {
                continue;
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'. See bench/README.md for the options.");
            }

            values[args[i][2..]] = args[++i];
        }

        string Required(string name) => values.TryGetValue(name, out string? value) ? value : throw new ArgumentException($"--{name} is required.");
        int Number(string name, int full, int quick) => values.TryGetValue(name, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : smoke ? quick : full;

        string root = Path.GetFullPath(Required("repository"));
        string date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string name = coldOnly ? $"{date}-coldstart.md" : postgres ? $"{date}-postgres.md" : $"{date}.md";
        string results = values.TryGetValue("results", out string? path)
            ? Path.GetFullPath(path.EndsWith(".md", StringComparison.Ordinal) ? path : Path.Combine(path, name))
            : Path.Combine(root, "bench", "results", smoke ? "tmp" : "", name);
        var known = new[] { "repository", "service", "baseline", "command", "results", "seconds", "warmup", "sizes", "cold-starts", "after-load", "budget-minutes", "note", "profile", "tools", "baseline-arg", "delivery-creates", "rounds" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"Unknown option --{unknown}. See bench/README.md for the options.");
        }

        return new HarnessOptions
        {
            RepositoryRoot = root,
            ServiceDirectory = Path.GetFullPath(Required("service")),
            BaselineDirectory = Path.GetFullPath(Required("baseline")),
            Command = values.GetValueOrDefault("command", "bench/run.sh"),
            Smoke = smoke,
            Seconds = Number("seconds", 20, 2),
            WarmupSeconds = Number("warmup", 30, 1),
            Sizes = values.TryGetValue("sizes", out string? sizes)
                ? [.. sizes.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]
                : smoke ? [1_000, 10_000] : [1_000, 100_000, 1_000_000],
            ColdStarts = Number("cold-starts", 5, 1),
            DeliveryCreates = Number("delivery-creates", 400, 40),
            AfterLoadSeconds = Number("after-load", 30, 2),
            Budget = TimeSpan.FromMinutes(Number("budget-minutes", 25, 4)),
            ResultsPath = results,
            Note = values.GetValueOrDefault("note"),
            PostOnly = postOnly || values.ContainsKey("profile"),
            ColdOnly = coldOnly && !values.ContainsKey("profile"),
            BaselineArgument = values.GetValueOrDefault("baseline-arg"),
            Postgres = postgres,
            PostgresRounds = Number("rounds", 2, 1),
            ProfileDirectory = values.TryGetValue("profile", out string? profile) ? Path.GetFullPath(profile) : null,
            ToolsDirectory = values.TryGetValue("tools", out string? tools) ? Path.GetFullPath(tools) : null,
        };
    }
}

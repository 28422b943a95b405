using System.Globalization;

namespace GraphNotifications.Bench.FeedPage;

/// <summary>What one run measures; the defaults are the full run, <c>--quick</c> a one-minute smoke run.</summary>
internal sealed record BenchOptions
{
    /// <summary>The published service (<c>dotnet publish -c Release</c>): the folder holding GraphNotifications.Api.dll.</summary>
    public required string PublishDirectory { get; init; }

    public required string RepositoryRoot { get; init; }

    public bool Quick { get; init; }

    /// <summary>Feed lengths: notifications in the one user's feed.</summary>
    public int[] Sizes { get; init; } = [1_000, 100_000, 1_000_000];

    /// <summary>Requests per series before measuring (JIT tiers, connection, SQLite page cache).</summary>
    public int Warmup { get; init; } = 200;

    /// <summary>
    /// The first series also warms up for at least this long: a freshly started service runs its first pages several
    /// times slower until the JIT's tiers settle, which takes seconds of traffic, not a fixed number of requests.
    /// </summary>
    public TimeSpan WarmupTime { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Measured requests per series.</summary>
    public int Requests { get; init; } = 500;

    /// <summary>How many next links of 20 items the deep page lies behind (fewer when the feed is shorter).</summary>
    public int DeepPages { get; init; } = 300;

    /// <summary>Measured requests of the OFFSET control (<c>$skip</c>), which is expected to be slow.</summary>
    public int ControlRequests { get; init; } = 50;

    /// <summary>The whole run is cancelled (and cleaned up) after this long.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(9);

    /// <summary>Capture the service's SQL from its EF command log and show SQLite's plan for it.</summary>
    public bool Explain { get; init; } = true;

    public required string ResultsPath { get; init; }

    /// <summary>The command a reader runs to reproduce the results (recorded in the results file).</summary>
    public required string Command { get; init; }

    public const int PageSize = 20;

    /// <summary>The page size used to walk to the middle of a long feed quickly (the service's maximum).</summary>
    public const int WalkPageSize = 999;

    /// <summary>The service's <c>$skip</c> limit (QueryLimits.MaxSkip).</summary>
    public const int MaxSkip = 100_000;

    public static BenchOptions Parse(string[] args)
    {
        string? publish = null;
        string? results = null;
        string? command = null;
        bool quick = args.Contains("--quick");
        bool explain = !args.Contains("--no-explain");
        int[]? sizes = null;
        int? warmup = null, requests = null, deep = null, control = null;
        double? budgetMinutes = null;

        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--quick":
                case "--no-explain":
                    break;
                case "--publish":
                    publish = Next();
                    break;
                case "--results":
                    results = Next();
                    break;
                case "--command":
                    command = Next();
                    break;
                case "--sizes":
                    sizes = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Int)];
                    break;
                case "--warmup":
                    warmup = Int(Next());
                    break;
                case "--requests":
                    requests = Int(Next());
                    break;
                case "--deep-pages":
                    deep = Int(Next());
                    break;
                case "--control-requests":
                    control = Int(Next());
                    break;
                case "--budget-minutes":
                    budgetMinutes = double.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. See bench/README.md.");
            }
        }

        if (publish is null || !File.Exists(Path.Combine(publish, "GraphNotifications.Api.dll")))
        {
            throw new ArgumentException("--publish <dir> must name the folder of the published service (GraphNotifications.Api.dll).");
        }

        string root = FindRepositoryRoot();
        string date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var defaults = quick
            ? new { Sizes = new[] { 1_000, 10_000 }, Warmup = 50, Requests = 100, Deep = 50, Control = 20, Budget = 3.0 }
            : new { Sizes = new[] { 1_000, 100_000, 1_000_000 }, Warmup = 200, Requests = 500, Deep = 300, Control = 50, Budget = 9.0 };

        return new BenchOptions
        {
            PublishDirectory = Path.GetFullPath(publish),
            RepositoryRoot = root,
            Quick = quick,
            Sizes = sizes ?? defaults.Sizes,
            Warmup = warmup ?? defaults.Warmup,
            WarmupTime = TimeSpan.FromSeconds(quick ? 8 : 20),
            Requests = requests ?? defaults.Requests,
            DeepPages = deep ?? defaults.Deep,
            ControlRequests = control ?? defaults.Control,
            Budget = TimeSpan.FromMinutes(budgetMinutes ?? defaults.Budget),
            Explain = explain,
            // Quick runs are smoke tests: they go to the ignored bench/results/tmp/, never over a real result.
            ResultsPath = Path.GetFullPath(results ?? Path.Combine(root, "bench", "results", quick ? "tmp" : "", $"feed-page-{date}{(quick ? "-quick" : "")}.md")),
            Command = command ?? "dotnet FeedPage.dll " + string.Join(' ', args),
        };
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string FindRepositoryRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "GraphNotifications.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run from inside the repository: no folder above holds GraphNotifications.sln.");
    }
}

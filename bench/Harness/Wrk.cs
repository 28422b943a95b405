using System.Diagnostics;
using System.Text.Json;

namespace GraphNotifications.Bench.Harness;

/// <summary>What wrk reported for one run (its Lua <c>done</c> writes it as one JSON line); times in microseconds.</summary>
internal sealed record WrkResult(
    long Requests, long DurationUs, long Bytes, long ConnectErrors, long ReadErrors, long WriteErrors, long StatusErrors, long Timeouts,
    double MeanUs, long P50Us, long P90Us, long P99Us, long MaxUs)
{
    public double RequestsPerSecond => Requests / (DurationUs / 1e6);

    public long Errors => ConnectErrors + ReadErrors + WriteErrors + StatusErrors + Timeouts;

    /// <summary>What wrk wrote to stderr: the answers that were errors, in warm-up runs.</summary>
    public string Log { get; init; } = string.Empty;
}

/// <summary>wrk, the load generator: a second process, one thread (the machine has two cores), one Lua script per scenario.</summary>
internal static class Wrk
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<WrkResult> RunAsync(Uri root, string script, int connections, int seconds, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (IEnumerable<string>)["-t1", $"-c{connections}", $"-d{seconds}s", "--timeout", "10s", "-s", script, root.ToString()])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BENCH_LUA_DIR"] = Path.GetDirectoryName(script)!;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            string output = await stdout;
            string line = output.Split('\n').FirstOrDefault(l => l.StartsWith("BENCH-RESULT ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk exited with {process.ExitCode} and no result:{Environment.NewLine}{output}{await stderr}");
            string log = await stderr;
            return JsonSerializer.Deserialize<WrkResult>(line["BENCH-RESULT ".Length..], Json)! with { Log = log.Length > 4000 ? log[..4000] : log };
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}

/// <summary>Resident memory of a process, read every 200 ms while a scenario runs.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly List<(double Seconds, double MiB)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RssSampler(Target target, Stopwatch runClock)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            do
            {
                if (target.RssMiB() is double mib)
                {
                    lock (_samples)
                    {
                        _samples.Add((runClock.Elapsed.TotalSeconds, mib));
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
        });
    }

    public IReadOnlyList<(double Seconds, double MiB)> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}

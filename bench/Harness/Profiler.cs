using System.Diagnostics;
using System.Globalization;

namespace GraphNotifications.Bench.Harness;

/// <summary>
/// dotnet-trace (CPU sampling) and dotnet-counters attached to a target while it is under load, and dotnet-trace's
/// report of the methods longest on the stack, inclusive and exclusive. Files: <c>&lt;target&gt;.nettrace</c>,
/// <c>&lt;target&gt;-counters.csv</c>, <c>&lt;target&gt;-top-inclusive.txt</c>, <c>&lt;target&gt;-top-exclusive.txt</c>.
/// </summary>
internal static class Profiler
{
    public static async Task AttachAsync(Target target, string directory, string? tools, TimeSpan duration, Action<string> log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        string Tool(string name) => tools is null ? name : Path.Combine(tools, name);
        string pid = target.Pid.ToString(CultureInfo.InvariantCulture);
        string span = duration.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture);
        string trace = Path.Combine(directory, $"{target.Kind.Name}.nettrace");

        // Let the load reach its pace before sampling.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var tracing = RunAsync(Tool("dotnet-trace"), ["collect", "-p", pid, "--profile", "dotnet-sampled-thread-time", "--duration", span, "-o", trace], cancellationToken);
        var counting = RunAsync(Tool("dotnet-counters"), ["collect", "-p", pid, "--duration", span, "--format", "csv", "-o", Path.Combine(directory, $"{target.Kind.Name}-counters.csv"),
            "--counters", "System.Runtime,Microsoft.AspNetCore.Hosting,Microsoft.AspNetCore.Server.Kestrel"], cancellationToken);
        string traceLog = await tracing;
        await counting;
        if (!File.Exists(trace))
        {
            log($"dotnet-trace wrote no trace for the {target.Kind.Name}: {traceLog}");
            return;
        }

        foreach (var (name, extra) in new[] { ("inclusive", "--inclusive"), ("exclusive", "") })
        {
            string[] arguments = [trace, "topN", "-n", "60", .. extra.Length > 0 ? new[] { extra } : []];
            await File.WriteAllTextAsync(Path.Combine(directory, $"{target.Kind.Name}-top-{name}.txt"), await RunAsync(Tool("dotnet-trace"), ["report", .. arguments], cancellationToken), cancellationToken);
        }

        log($"profiled the {target.Kind.Name} into {directory}");
    }

    private static async Task<string> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return await output + await error;
    }
}

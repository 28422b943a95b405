using System.Diagnostics;
using GraphNotifications.Bench.FeedPage;

namespace GraphNotifications.Bench.Harness.Postgres;

/// <summary><c>bench/run.sh --postgres</c>: the PostgreSQL scenario alone, and its report.</summary>
internal static class PostgresRun
{
    public static async Task<int> RunAsync(HarnessOptions options, List<(string Label, string Value)> machine, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string work = Directory.CreateTempSubdirectory("graphnotifications-bench-").FullName;
        ScalingResults results;
        try
        {
            results = await new PostgresScaling(options, work, message => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {message}")).RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"Stopped after {clock.Elapsed:mm\\:ss} (budget or interrupt). Nothing was written.");
            return 2;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Console.Error.WriteLine($"The run failed after {clock.Elapsed:mm\\:ss}; nothing was written. {ex}");
            return 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        machine.Add(("Load average at the end", Machine.LoadAverage()));
        Directory.CreateDirectory(Path.GetDirectoryName(options.ResultsPath)!);
        string report = PostgresReport.Render(options, machine, results, clock.Elapsed);
        await File.WriteAllTextAsync(options.ResultsPath, report, cancellationToken);
        Console.WriteLine(report);
        Console.WriteLine($"Written to {options.ResultsPath}.");
        return 0;
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using GraphNotifications.Bench.FeedPage;
using GraphNotifications.Bench.Harness;

// bench/run.sh's driver: the service and its ceiling, side by side, under wrk. See bench/README.md.

if (args.Contains("--recipient"))
{
    return await GraphNotifications.Bench.Harness.Recipient.BadgeBench.RunAsync(args);
}

// bench/run-fanout.sh's scenario, on its own: addRecipients at scale, beside the ceiling.
if (args.Contains("--fanout"))
{
    return await GraphNotifications.Bench.Harness.FanOut.FanOutBench.MainAsync(args);
}

// bench/run-stream.sh's scenario, on its own: the live stream's latency and open streams.
if (args.Contains("--stream"))
{
    return await StreamBench.MainAsync(args);
}

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 64;
}

using var budget = new CancellationTokenSource(options.Budget);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var machine = Machine.Describe(options.RepositoryRoot);
if (options.Postgres)
{
    return await GraphNotifications.Bench.Harness.Postgres.PostgresRun.RunAsync(options, machine, budget.Token);
}

var clock = Stopwatch.StartNew();
string work = Directory.CreateTempSubdirectory("graphnotifications-bench-").FullName;
RunResults results;
try
{
    results = await new BenchRun(options, work, message => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {message}")).RunAsync(budget.Token);
}
catch (OperationCanceledException) when (budget.IsCancellationRequested)
{
    Console.Error.WriteLine($"Stopped after {clock.Elapsed:mm\\:ss}: the run's budget is {options.Budget.TotalMinutes} minutes (--budget-minutes), or it was interrupted. Nothing was written.");
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
List<(string Title, string File)> charts = options.ColdOnly ? [] : Charts.Write(results, options.ResultsPath);
string report = Report.Render(options, machine, results, charts, clock.Elapsed);
await File.WriteAllTextAsync(options.ResultsPath, report);
Console.WriteLine();
Console.WriteLine(report);
Console.WriteLine($"Written to {options.ResultsPath} and {charts.Count} charts beside it ({clock.Elapsed.TotalSeconds:0} s).");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    budget.Cancel();
}

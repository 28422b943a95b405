using System.Diagnostics;
using System.Runtime.InteropServices;
using GraphNotifications.Bench.FeedPage;

// The latency of one feed page at several feed lengths, and of a deep page against the first. See bench/README.md.

if (args.Contains(DynamicFilterBench.Switch))
{
    return await DynamicFilterBench.RunAsync(args);
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 64;
}

using var budget = new CancellationTokenSource(options.Budget);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var machine = Machine.Describe(options.RepositoryRoot);
var clock = Stopwatch.StartNew();
List<SizeResult> results;
try
{
    results = await FeedBench.RunAsync(options, budget.Token);
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

machine.Add(("Load average at the end", Machine.LoadAverage()));
string report = Report.Render(options, machine, results, clock.Elapsed);
Directory.CreateDirectory(Path.GetDirectoryName(options.ResultsPath)!);
await File.WriteAllTextAsync(options.ResultsPath, report);
Console.WriteLine();
Console.WriteLine(report);
Console.WriteLine($"Written to {Path.GetRelativePath(options.RepositoryRoot, options.ResultsPath)} ({clock.Elapsed.TotalSeconds:0} s).");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    budget.Cancel();
}

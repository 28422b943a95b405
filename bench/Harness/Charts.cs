using ScottPlot;

namespace GraphNotifications.Bench.Harness;

/// <summary>The run's charts, PNG files beside the markdown: throughput, latency, and memory over the run.</summary>
internal static class Charts
{
    private static readonly Color ServiceColor = Color.FromHex("#1f77b4");
    private static readonly Color BaselineColor = Color.FromHex("#ff7f0e");

    /// <summary>Writes the charts and returns their file names, in the order the report shows them.</summary>
    public static List<(string Title, string File)> Write(RunResults results, string resultsPath)
    {
        string stem = Path.GetFileNameWithoutExtension(resultsPath);
        string directory = Path.GetDirectoryName(resultsPath)!;
        var written = new List<(string, string)>();
        var scenarios = results.Scenarios;
        string[] labels = [.. scenarios.Select(s => s.Key)];

        void Save(Plot plot, string name, string title)
        {
            string file = $"{stem}-{name}.png";
            plot.SavePng(Path.Combine(directory, file), 1000, 520);
            written.Add((title, file));
        }

        Save(Bars("Throughput (requests/s, higher is better)", "requests/s", labels,
            [.. scenarios.Select(s => s.Service.Wrk.RequestsPerSecond)], [.. scenarios.Select(s => s.Baseline.Wrk.RequestsPerSecond)]), "throughput", "Throughput");
        Save(Bars("Latency p50 (ms)", "ms", labels,
            [.. scenarios.Select(s => s.Service.Wrk.P50Us / 1000.0)], [.. scenarios.Select(s => s.Baseline.Wrk.P50Us / 1000.0)]), "latency-p50", "Latency, p50");
        Save(Bars("Latency p99 (ms)", "ms", labels,
            [.. scenarios.Select(s => s.Service.Wrk.P99Us / 1000.0)], [.. scenarios.Select(s => s.Baseline.Wrk.P99Us / 1000.0)]), "latency-p99", "Latency, p99");

        var memory = new Plot();
        memory.Title("Resident memory (MiB) during the scenarios");
        memory.XLabel("seconds into the run");
        memory.YLabel("MiB");
        foreach (var (target, samples) in results.Memory)
        {
            var line = memory.Add.ScatterLine(samples.Select(s => s.Seconds).ToArray(), samples.Select(s => s.MiB).ToArray());
            line.Color = target == "service" ? ServiceColor : BaselineColor;
            line.LegendText = target;
        }

        memory.ShowLegend(Alignment.UpperLeft);
        Save(memory, "memory", "Resident memory over the run");
        return written;
    }

    private static Plot Bars(string title, string unit, string[] labels, double[] service, double[] baseline)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.YLabel(unit);
        var bars = new List<Bar>();
        for (int i = 0; i < labels.Length; i++)
        {
            bars.Add(new Bar { Position = (i * 3) + 0, Value = service[i], FillColor = ServiceColor });
            bars.Add(new Bar { Position = (i * 3) + 1, Value = baseline[i], FillColor = BaselineColor });
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([.. labels.Select((_, i) => (i * 3) + 0.5)], labels);
        plot.Axes.Margins(bottom: 0);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "service", FillColor = ServiceColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "baseline (ceiling)", FillColor = BaselineColor });
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}

namespace GraphNotifications.Bench.Harness;

/// <summary>One target's figures in one scenario.</summary>
internal sealed record Measurement(WrkResult Wrk, double PeakMiB, double SteadyMiB, IReadOnlyList<(double Seconds, double MiB)> Samples, double CpuMsPerRequest);

/// <summary>One scenario, measured on both targets.</summary>
internal sealed record ScenarioResult(string Key, string Title, int Connections, Measurement Service, Measurement Baseline)
{
    public double ThroughputRatio => Service.Wrk.RequestsPerSecond / Baseline.Wrk.RequestsPerSecond;
}

/// <summary>Process start to the first 201, in milliseconds, and the CPU time used and resident memory then.</summary>
internal sealed record ColdStart(string Target, string File, List<double> Milliseconds, List<double> RssMiB, List<double> CpuMilliseconds);

/// <summary>Resident memory at rest: before the first load, and a while after the last.</summary>
internal sealed record AfterLoad(string Target, double IdleMiB, double EndMiB, double PeakMiB, int Seconds);

internal sealed record RunResults(
    List<ScenarioResult> Scenarios, List<ColdStart> ColdStarts, List<AfterLoad> AfterLoad, TimeSpan SeedTime, long SeedBytes,
    string BodyComparison, IReadOnlyList<(string Target, IReadOnlyList<(double Seconds, double MiB)> Samples)> Memory,
    DeliveryLatencyResult? Delivery);

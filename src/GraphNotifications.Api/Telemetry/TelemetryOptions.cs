namespace GraphNotifications.Api.Telemetry;

/// <summary>Where traces, metrics and (for OTLP) logs go.</summary>
public enum TelemetryExporter
{
    /// <summary>Collected (so tests and in-process listeners see them) but sent nowhere.</summary>
    None,

    /// <summary>Traces and metrics written to standard output: for development.</summary>
    Console,

    /// <summary>OpenTelemetry's protocol, to the collector <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names (traces, metrics and logs).</summary>
    Otlp,
}

/// <summary>The <c>Telemetry</c> configuration section.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The exporter; unset, it is <see cref="TelemetryExporter.Otlp"/> when an OTLP endpoint is configured, else none.</summary>
    public TelemetryExporter? Exporter { get; set; }
}

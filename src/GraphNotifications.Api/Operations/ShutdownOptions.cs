namespace GraphNotifications.Api.Operations;

/// <summary>The <c>Shutdown</c> configuration section.</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    public static readonly TimeSpan MaximumTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a SIGTERM waits for the requests in flight to finish before the rest are cut off. Keep it below the
    /// orchestrator's own grace period (Kubernetes: terminationGracePeriodSeconds, 30 s by default), or SIGKILL comes first.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(25);
}

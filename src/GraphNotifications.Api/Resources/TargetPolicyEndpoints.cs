namespace GraphNotifications.Api.Resources;

/// <summary><c>microsoft.graph.targetPolicyEndpoints</c>: the platforms to deliver to; all of them when absent.</summary>
public sealed class TargetPolicyEndpoints
{
    public IList<string> PlatformTypes { get; set; } = [];
}

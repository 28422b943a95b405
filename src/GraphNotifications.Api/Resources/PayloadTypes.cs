namespace GraphNotifications.Api.Resources;

/// <summary><c>microsoft.graph.payloadTypes</c>: what the notification carries; at least one member is set.</summary>
public sealed class PayloadTypes
{
    public string? RawContent { get; set; }

    public VisualProperties? VisualContent { get; set; }
}

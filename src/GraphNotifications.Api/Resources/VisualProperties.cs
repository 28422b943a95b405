namespace GraphNotifications.Api.Resources;

/// <summary><c>microsoft.graph.visualProperties</c>: what a user sees in a toast or notification center.</summary>
public sealed class VisualProperties
{
    public string? Title { get; set; }

    public string? Body { get; set; }
}

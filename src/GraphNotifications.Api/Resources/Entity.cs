namespace GraphNotifications.Api.Resources;

/// <summary>Graph's abstract base of every entity type: <c>microsoft.graph.entity</c>.</summary>
public abstract class Entity
{
    public string Id { get; set; } = string.Empty;
}

namespace GraphNotifications.Api.Resources;

/// <summary><c>microsoft.graph.priority</c>. Values match the contract's members.</summary>
public enum Priority
{
    None = 0,
    High = 1,
    Low = 2,
}

namespace GraphNotifications.Api.Validation;

/// <summary>Whether a body creates a resource (required properties must be there) or changes some of it.</summary>
public enum BodyMode
{
    Create,
    Update,
}

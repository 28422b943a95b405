namespace GraphNotifications.Api.Resources;

/// <summary>
/// <c>microsoft.graph.user</c>. The service owns no directory: any id a token or an app names is a user, and a
/// user is nothing more than the owner of a feed of notifications.
/// </summary>
public sealed class User : Entity
{
    public IList<Notification> Notifications { get; set; } = [];

    /// <summary>This service's own: where the user's notifications are pushed (read at <c>/me/pushEndpoints</c>, never expanded).</summary>
    public IList<PushEndpoint> PushEndpoints { get; set; } = [];
}

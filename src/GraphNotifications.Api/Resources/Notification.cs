namespace GraphNotifications.Api.Resources;

/// <summary><c>microsoft.graph.notification</c>: an open entity type stored in the <c>notifications</c> entity set.</summary>
public sealed class Notification : Entity
{
    public string TargetHostName { get; set; } = string.Empty;

    /// <summary>Always UTC once stored (Graph's convention).</summary>
    public DateTimeOffset? ExpirationDateTime { get; set; }

    public PayloadTypes Payload { get; set; } = new();

    public int? DisplayTimeToLive { get; set; }

    public Priority? Priority { get; set; }

    public string? GroupName { get; set; }

    public TargetPolicyEndpoints? TargetPolicy { get; set; }

    /// <summary>The open type's dynamic properties, such as Graph's documented <c>appNotificationId</c>.</summary>
    public IDictionary<string, object> DynamicProperties { get; set; } = new Dictionary<string, object>();

    /// <summary>
    /// This service's own: when the service created it (<see cref="CreatedAt"/> as an instant), for "3 min ago". Set by
    /// the service, read-only to clients.
    /// </summary>
    public DateTimeOffset? CreatedDateTime { get; set; }

    /// <summary>
    /// This service's own, per recipient: the reading user's read state, from their feed link. Null when the
    /// notification is read through <c>/notifications</c> (the app's view of its content, nobody's feed).
    /// </summary>
    public NotificationReadState? ReadState { get; set; }

    /// <summary>This service's own, per recipient: what the reading user last did with it (see <see cref="ReadState"/>).</summary>
    public NotificationUserActionState? UserActionState { get; set; }

    /// <summary>This service's own, per recipient: until when the reading user snoozed it; null unless snoozed.</summary>
    public DateTimeOffset? SnoozedUntilDateTime { get; set; }

    /// <summary>
    /// Not in the contract: the version of the reading user's state (raised by every change of it), 0 when the
    /// notification is read outside a feed. With <see cref="Version"/> it makes the entity tag of a feed item.
    /// </summary>
    public long StateVersion { get; set; }

    /// <summary>Not in the contract: when the service created it, as UTC ticks; the feed's newest-first order.</summary>
    public long CreatedAt { get; set; }

    /// <summary>
    /// Not in the contract: the store's concurrency token, raised by every update, and the source of the
    /// notification's ETag.
    /// </summary>
    public long Version { get; set; }
}

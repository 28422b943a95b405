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

    /// <summary>Not in the contract: when the service created it, as UTC ticks; the feed's newest-first order.</summary>
    public long CreatedAt { get; set; }

    /// <summary>
    /// Not in the contract: the store's concurrency token, raised by every update, and the source of the
    /// notification's ETag.
    /// </summary>
    public long Version { get; set; }
}

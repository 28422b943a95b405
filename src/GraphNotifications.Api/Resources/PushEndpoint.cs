namespace GraphNotifications.Api.Resources;

/// <summary>
/// <c>microsoft.graph.pushEndpoint</c>, this service's own: a place to push a user's notifications to, such as a
/// browser's Web Push subscription, contained in the user (<c>/me/pushEndpoints</c>). It belongs to the tenant, the
/// app and the user it was registered for: that app's notifications to that user are pushed to it.
/// </summary>
public sealed class PushEndpoint : Entity
{
    /// <summary>The platform, <c>webPush</c> (the only one built; <c>windows</c>, <c>android</c>, <c>ios</c> are reserved).</summary>
    public string PlatformType { get; set; } = string.Empty;

    /// <summary>The push service's URL for this subscription (the browser's <c>PushSubscription.endpoint</c>).</summary>
    public string Endpoint { get; set; } = string.Empty;

    public PushEndpointKeys Keys { get; set; } = new();

    /// <summary>When the push service stops accepting pushes to it (UTC); null when it did not say.</summary>
    public DateTimeOffset? ExpirationDateTime { get; set; }

    public DateTimeOffset CreatedDateTime { get; set; }

    /// <summary>When a push last reached the push service; null before the first.</summary>
    public DateTimeOffset? LastDeliveryDateTime { get; set; }

    /// <summary>Why the last push failed; null after a success (as a subscription's <c>lastDeliveryError</c>).</summary>
    public string? LastDeliveryError { get; set; }

    /// <summary>Not in the contract: the tenant it was registered in.</summary>
    public string TenantId { get; set; } = string.Empty;

    /// <summary>Not in the contract: the app it was registered under; only that app's notifications are pushed to it.</summary>
    public string AppId { get; set; } = string.Empty;

    /// <summary>Not in the contract: the user whose notifications it receives.</summary>
    public string UserId { get; set; } = string.Empty;
}

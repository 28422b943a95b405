namespace GraphNotifications.Api.Resources;

/// <summary>
/// <c>microsoft.graph.subscription</c>: an app's request to hear of changes to a user's feed at its webhook, in the
/// <c>subscriptions</c> entity set. The properties are Graph's; those after the contract's are the store's own.
/// </summary>
public sealed class Subscription : Entity
{
    public string Resource { get; set; } = string.Empty;

    /// <summary>A comma-separated list of <c>created</c>, <c>updated</c>, <c>deleted</c>.</summary>
    public string ChangeType { get; set; } = string.Empty;

    public string NotificationUrl { get; set; } = string.Empty;

    /// <summary>Always UTC once stored.</summary>
    public DateTimeOffset ExpirationDateTime { get; set; }

    public string? ClientState { get; set; }

    public string? ApplicationId { get; set; }

    public string? CreatorId { get; set; }

    public string? LifecycleNotificationUrl { get; set; }

    public string? LatestSupportedTlsVersion { get; set; }

    public bool? IncludeResourceData { get; set; }

    public string? EncryptionCertificate { get; set; }

    public string? EncryptionCertificateId { get; set; }

    public string? NotificationContentType { get; set; }

    public string? NotificationQueryOptions { get; set; }

    public string? NotificationUrlAppId { get; set; }

    /// <summary>Not in the contract: the tenant the subscription was created in; it never leaves it.</summary>
    public string TenantId { get; set; } = string.Empty;

    /// <summary>
    /// Not in the contract: the signed-in user of a delegated creator, empty for an app-only one. With the tenant and
    /// the application it decides who sees the subscription.
    /// </summary>
    public string OwnerUserId { get; set; } = string.Empty;

    /// <summary>Not in the contract: the user whose feed <see cref="Resource"/> names (delivery reads it).</summary>
    public string ResourceUserId { get; set; } = string.Empty;

    /// <summary>Not in the contract: the <c>targetHostName</c> the resource's <c>$filter</c> names, if any.</summary>
    public string? TargetHostNameFilter { get; set; }
}

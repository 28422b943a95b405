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

    /// <summary>
    /// The service's own (not Graph's): when delivery gave up on the notification URL after its retry window; null
    /// while it delivers. A renewal (PATCH) clears it and delivery resumes where it stopped.
    /// </summary>
    public DateTimeOffset? DeliveryFailedDateTime { get; set; }

    /// <summary>The service's own: why the last delivery attempt failed (null after a success).</summary>
    public string? LastDeliveryError { get; set; }

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

    // Delivery's progress and claim, not in the contract. Instants are UTC ticks, compared in SQL.

    /// <summary>
    /// Not in the contract: the change-log sequence delivered through (a position's sequence). The log's high-water mark when the
    /// subscription was created, so it hears of changes made after its creation only; entries filtered out advance it too.
    /// </summary>
    public long DeliveredThrough { get; set; }

    /// <summary>
    /// Not in the contract: with <see cref="DeliveredThrough"/>, the change-log position delivered through (its
    /// transaction id on PostgreSQL; always 0 on SQLite).
    /// </summary>
    public long DeliveredThroughTransaction { get; set; }

    /// <summary>Not in the contract: the instance holding the claim to deliver (null: unclaimed). Only the holder delivers, so order holds.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>Not in the contract: when the claim lapses; a killed instance's work is taken over after it.</summary>
    public long ClaimExpiresAt { get; set; }

    /// <summary>Not in the contract: no attempt before this (the backoff after a failure; 0 means now).</summary>
    public long NextAttemptAt { get; set; }

    /// <summary>Not in the contract: when the current run of failures began (null after a success); the retry window counts from it.</summary>
    public long? FirstFailureAt { get; set; }

    /// <summary>Not in the contract: failed attempts in the current run of failures.</summary>
    public int DeliveryAttempts { get; set; }
}

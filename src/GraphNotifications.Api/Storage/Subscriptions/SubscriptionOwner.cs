namespace GraphNotifications.Api.Storage.Subscriptions;

/// <summary>
/// Who a subscription belongs to and who alone sees it: the tenant, the application, and for a delegated creator
/// the signed-in user (empty for an app-only one, so an app does not see its users' subscriptions or they its own).
/// </summary>
public sealed record SubscriptionOwner(string TenantId, string ApplicationId, string UserId);

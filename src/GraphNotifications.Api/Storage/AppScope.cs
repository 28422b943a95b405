namespace GraphNotifications.Api.Storage;

/// <summary>
/// What an app reaches in the store: the notifications it created in its own tenant, and the feeds of that tenant's
/// users. Every read and write of a request goes through one, so nothing crosses apps or tenants whatever ids a
/// caller names.
/// </summary>
public sealed record AppScope(string TenantId, string AppId);

namespace GraphNotifications.Api.Storage.Idempotency;

/// <summary>Where a key means something: one caller (tenant, app and user) and the key it sent.</summary>
public readonly record struct IdempotencyScope(string TenantId, string AppId, string UserId, string Key);

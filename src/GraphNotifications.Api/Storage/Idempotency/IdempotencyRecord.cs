namespace GraphNotifications.Api.Storage.Idempotency;

/// <summary>
/// What a create answered under an <c>Idempotency-Key</c>, kept so that a retry with the same key is answered the
/// same way instead of creating again. The request is kept as a fingerprint only (a hash), never as its body; the
/// answer is kept whole, because a replay must be the original answer even after the notification has changed.
/// </summary>
public sealed class IdempotencyRecord
{
    public required string TenantId { get; init; }

    public required string AppId { get; init; }

    /// <summary>The user of a delegated call; empty for an app-only call (a key column cannot be null).</summary>
    public required string UserId { get; init; }

    public required string Key { get; init; }

    /// <summary>SHA-256 of the method, the path and the body of the request that used the key, in hex.</summary>
    public required string Fingerprint { get; init; }

    public required int StatusCode { get; init; }

    public string? Location { get; init; }

    public string? ETag { get; init; }

    public string? ContentType { get; init; }

    public byte[]? Body { get; init; }

    /// <summary>UTC ticks, as every instant of the store.</summary>
    public required long CreatedAt { get; init; }

    /// <summary>UTC ticks after which the key is forgotten (and the sweeper removes the record).</summary>
    public required long ExpiresAt { get; init; }

    public IdempotencyScope Scope => new(TenantId, AppId, UserId, Key);
}

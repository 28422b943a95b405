namespace GraphNotifications.Api.Storage.Idempotency;

public static class IdempotencyKeyLimits
{
    /// <summary>The longest key accepted (and stored).</summary>
    public const int MaxLength = 255;
}

namespace GraphNotifications.Api.Storage.Idempotency;

/// <summary>The <c>Idempotency</c> configuration section: how long keys are remembered, and how they are swept.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    public static readonly TimeSpan MinimumLifetime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromDays(30);
    public static readonly TimeSpan MinimumSweepInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaximumSweepInterval = TimeSpan.FromDays(1);
    public const int MaximumSweepBatchSize = 10_000;

    /// <summary>How long a key's answer is replayed (the draft's suggestion: 24 hours).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The time between sweeps of expired keys.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many expired keys one statement deletes at most.</summary>
    public int SweepBatchSize { get; set; } = 500;
}

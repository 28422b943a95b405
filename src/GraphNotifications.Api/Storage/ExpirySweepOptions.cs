namespace GraphNotifications.Api.Storage;

/// <summary>The <c>Storage:ExpirySweep</c> configuration section: how the expiry sweeper reclaims expired notifications.</summary>
public sealed class ExpirySweepOptions
{
    public const string Section = "Storage:ExpirySweep";

    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaximumInterval = TimeSpan.FromDays(1);
    public const int MaximumBatchSize = 10_000;

    /// <summary>The time between sweeps (and from start-up to the first one).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many notifications one transaction deletes at most; a sweep runs batches until none is full.</summary>
    public int BatchSize { get; set; } = 500;
}

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>The <c>ChangeLog</c> configuration section: how long the change log keeps entries, and its sweeper.</summary>
public sealed class ChangeLogOptions
{
    public const string Section = "ChangeLog";

    public static readonly TimeSpan MinimumRetention = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaximumRetention = TimeSpan.FromDays(90);
    public const int MaximumSweepBatchSize = 10_000;

    /// <summary>How long an entry is kept; a delta link older than this answers 410.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The time between sweeps of entries past <see cref="Retention"/>.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Entries one sweep statement deletes at most.</summary>
    public int SweepBatchSize { get; set; } = 1000;
}

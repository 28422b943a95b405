namespace GraphNotifications.Api.Storage;

/// <summary>The <c>RecipientState</c> configuration section: the background work on recipients' state.</summary>
public sealed class RecipientStateOptions
{
    public const string Section = "RecipientState";

    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaximumInterval = TimeSpan.FromMinutes(10);
    public const int MaximumBatchSize = 10_000;

    /// <summary>
    /// How often the snooze sweeper looks for snoozes that have ended: an item comes back (noInteraction) at most
    /// this long after its snoozedUntilDateTime.
    /// </summary>
    public TimeSpan SnoozeSweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many snoozes one transaction of the sweeper ends at most; a sweep runs batches until one is not full.</summary>
    public int SnoozeSweepBatchSize { get; set; } = 500;

    /// <summary>How many items one transaction of markAllAsRead marks at most; the action runs batches until the feed is done.</summary>
    public int MarkAllAsReadBatchSize { get; set; } = 500;
}

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>Graph's <c>@removed</c> reason for an item that left a collection (stored as the name).</summary>
public enum RemovedReason
{
    /// <summary>Gone from this feed only (dismissed with <c>DELETE …/$ref</c>): it still exists and may be linked again.</summary>
    Changed,

    /// <summary>Gone for good: the notification was deleted, or it expired.</summary>
    Deleted,
}

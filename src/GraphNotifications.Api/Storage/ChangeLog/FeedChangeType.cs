namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>What happened to a notification in one feed, in Graph's change notification words (stored as the name).</summary>
public enum FeedChangeType
{
    /// <summary>It entered the feed: created into it, or linked with <c>$ref</c>.</summary>
    Created,

    /// <summary>It changed while in the feed (PATCH).</summary>
    Updated,

    /// <summary>It left the feed: dismissed, deleted or expired (<see cref="RemovedReason"/> says which).</summary>
    Deleted,
}

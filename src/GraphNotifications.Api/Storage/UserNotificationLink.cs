using GraphNotifications.Api.Resources;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// One entry of a user's feed: the link that <c>POST …/notifications/$ref</c> creates and <c>DELETE …/$ref</c>
/// removes. The notification itself lives on in the <c>notifications</c> entity set and in other users' feeds.
/// </summary>
public sealed class UserNotificationLink
{
    /// <summary>The tenant of the user, and of the notification: a user id names a user within its tenant.</summary>
    public required string TenantId { get; init; }

    public required string UserId { get; init; }

    public required string NotificationId { get; init; }

    /// <summary>The notification's owner, copied here so that a feed page is one index range.</summary>
    public required string AppId { get; init; }

    /// <summary>The notification's creation time (UTC ticks), copied here for the feed's newest-first order.</summary>
    public required long CreatedAt { get; init; }

    /// <summary>
    /// The notification's expiry (UTC ticks), copied here so that what a feed counts and filters on its state (the
    /// unread badge) is read from the link's index alone, without visiting each notification. Kept equal to the
    /// notification's expiry by every write that sets it.
    /// </summary>
    public required long ExpiresAt { get; set; }

    /// <summary>The recipient's read state (this service's own <c>readState</c>); a new link starts unread.</summary>
    public NotificationReadState ReadState { get; set; }

    /// <summary>What the recipient last did with it (<c>userActionState</c>); a new link starts with no interaction.</summary>
    public NotificationUserActionState UserActionState { get; set; }

    /// <summary>Until when the recipient snoozed it (<c>snoozedUntilDateTime</c>, UTC); set only while snoozed.</summary>
    public DateTimeOffset? SnoozedUntil { get; set; }

    /// <summary>
    /// The store's concurrency token of the recipient's state, 1 for a new link and raised by every change of it;
    /// with the notification's own version it makes the entity tag of the item in this feed.
    /// </summary>
    public long StateVersion { get; set; } = 1;

    public Notification? Notification { get; init; }
}

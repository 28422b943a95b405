namespace GraphNotifications.Api.Storage;

/// <summary>
/// One entry of a user's feed: the link that <c>POST …/notifications/$ref</c> creates and <c>DELETE …/$ref</c>
/// removes. The notification itself lives on in the <c>notifications</c> entity set and in other users' feeds.
/// </summary>
public sealed class UserNotificationLink
{
    public required string UserId { get; init; }

    public required string NotificationId { get; init; }
}

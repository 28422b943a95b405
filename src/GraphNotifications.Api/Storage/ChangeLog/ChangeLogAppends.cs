using GraphNotifications.Api.Resources;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>Adds change-log entries to a context, for <see cref="ChangeLogCommit"/> to save with the change.</summary>
internal static class ChangeLogAppends
{
    /// <summary>One entry for one feed.</summary>
    public static void AppendChange(this NotificationsDbContext db, AppScope app, string userId, string notificationId, string? targetHostName,
        FeedChangeType changeType, RemovedReason? reason, DateTimeOffset now) =>
        db.ChangeLog.Add(NewEntry(app, userId, notificationId, targetHostName, changeType, reason, now));

    /// <summary>One entry for one feed, not yet added anywhere.</summary>
    public static ChangeLogEntry NewEntry(AppScope app, string userId, string notificationId, string? targetHostName,
        FeedChangeType changeType, RemovedReason? reason, DateTimeOffset now) =>
        new()
        {
            TenantId = app.TenantId,
            AppId = app.AppId,
            UserId = userId,
            NotificationId = notificationId,
            ChangeType = changeType,
            TargetHostName = targetHostName,
            RemovedReason = reason,
            OccurredAt = now.UtcTicks,
        };

    /// <summary>One entry for every feed the notification is in now (read in the append's transaction).</summary>
    public static async Task AppendToEveryFeedAsync(this NotificationsDbContext db, Notification notification,
        FeedChangeType changeType, RemovedReason? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var feeds = await db.Links.AsNoTracking()
            .Where(l => l.NotificationId == notification.Id)
            .Select(l => new { l.TenantId, l.AppId, l.UserId })
            .ToListAsync(cancellationToken);
        foreach (var feed in feeds)
        {
            db.AppendChange(new AppScope(feed.TenantId, feed.AppId), feed.UserId, notification.Id, notification.TargetHostName, changeType, reason, now);
        }
    }
}

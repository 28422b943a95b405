using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>Adds change-log entries to a context, for <see cref="ChangeLogCommit"/> to save with the change.</summary>
internal static class ChangeLogAppends
{
    /// <summary>One entry for one feed.</summary>
    public static void AppendChange(this NotificationsDbContext db, AppScope app, string userId, string notificationId,
        FeedChangeType changeType, RemovedReason? reason, DateTimeOffset now) =>
        db.ChangeLog.Add(NewEntry(app, userId, notificationId, db.TargetHostNameOf(notificationId), changeType, reason, now));

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

    /// <summary>
    /// The notification's <c>targetHostName</c>, for the entry: the tracked notification's (a create, an update, the
    /// expiry sweep's batch), else the stored one (a link, an unlink, a delete: the row is still there before the save).
    /// </summary>
    private static string? TargetHostNameOf(this NotificationsDbContext db, string notificationId)
    {
        // A look-up in the identity map only: no DetectChanges over a write group of many creates.
        bool detects = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            if (db.Notifications.Local.FindEntry(notificationId) is { } tracked)
            {
                return tracked.Entity.TargetHostName;
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detects;
        }

        return db.Notifications.AsNoTracking().Where(n => n.Id == notificationId).Select(n => n.TargetHostName).FirstOrDefault();
    }

    /// <summary>One entry for every feed the notification is in now (read in the append's transaction).</summary>
    public static async Task AppendToEveryFeedAsync(this NotificationsDbContext db, string notificationId,
        FeedChangeType changeType, RemovedReason? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var feeds = await db.Links.AsNoTracking()
            .Where(l => l.NotificationId == notificationId)
            .Select(l => new { l.TenantId, l.AppId, l.UserId })
            .ToListAsync(cancellationToken);
        foreach (var feed in feeds)
        {
            db.AppendChange(new AppScope(feed.TenantId, feed.AppId), feed.UserId, notificationId, changeType, reason, now);
        }
    }
}

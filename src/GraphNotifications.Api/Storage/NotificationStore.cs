using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Validation;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// Reads and writes notifications and feed links. Every read is scoped to the app that owns the notifications,
/// and leaves out what has expired: an expired notification is gone the moment it expires.
/// </summary>
public sealed class NotificationStore(NotificationsDbContext db, TimeProvider clock)
{
    /// <summary>The owning app's live notifications, linked to users or not.</summary>
    public IQueryable<Notification> OwnedBy(string appId) => OwnedPages(appId).Unordered;

    /// <summary>The owning app's live notifications in one user's feed.</summary>
    public IQueryable<Notification> Feed(string appId, string userId) => FeedPages(appId, userId).Unordered;

    /// <summary>The <c>notifications</c> entity set of one app, for a client to page through.</summary>
    public IKeysetCollection<Notification> OwnedPages(string appId) => new OwnedCollection(db, appId, clock.GetUtcNow());

    /// <summary>One user's feed of one app's notifications, for a client to page through.</summary>
    public IKeysetCollection<Notification> FeedPages(string appId, string userId) => new FeedCollection(db, appId, userId, clock.GetUtcNow());

    /// <summary>The users the app has linked notifications to, for a client to page through.</summary>
    public IKeysetCollection<User> UserPages(string appId) => new UserCollection(db, appId);

    /// <summary>
    /// Stores a new notification and, when a user is named, links it into that user's feed, in one commit. The
    /// service assigns the id, keeps the expiry in UTC, and makes it Graph's maximum when none was sent.
    /// </summary>
    public async Task CreateAsync(Notification notification, string appId, string? userId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = clock.GetUtcNow();
        notification.Id = Guid.NewGuid().ToString();
        notification.ExpirationDateTime = (notification.ExpirationDateTime ?? now + NotificationRules.MaximumLifetime).ToUniversalTime();
        notification.CreatedAt = now.UtcTicks;
        notification.Version = 1;
        var entry = db.Notifications.Add(notification);
        entry.Property(StorageColumns.AppId).CurrentValue = appId;
        if (userId is not null)
        {
            db.Links.Add(new UserNotificationLink { UserId = userId, NotificationId = notification.Id, AppId = appId, CreatedAt = now.UtcTicks });
        }

        await db.SaveChangesAsync(cancellationToken);
        entry.State = EntityState.Detached;
    }

    /// <summary>
    /// Links one of the app's notifications into a user's feed; linking what is already linked changes nothing.
    /// False when the app has no such live notification.
    /// </summary>
    public async Task<bool> LinkAsync(string appId, string userId, string notificationId, CancellationToken cancellationToken)
    {
        var createdAt = await OwnedBy(appId).Where(n => n.Id == notificationId)
            .Select(n => (long?)n.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (createdAt is null)
        {
            return false;
        }

        if (await IsLinkedAsync(userId, notificationId, cancellationToken))
        {
            return true;
        }

        db.Links.Add(new UserNotificationLink { UserId = userId, NotificationId = notificationId, AppId = appId, CreatedAt = createdAt.Value });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await IsLinkedAsync(userId, notificationId, cancellationToken))
            {
                throw;
            }

            // A concurrent request linked it first: the outcome the caller asked for.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return true;
    }

    /// <summary>Removes a notification from one user's feed; false when it was not there.</summary>
    public async Task<bool> UnlinkAsync(string userId, string notificationId, CancellationToken cancellationToken)
    {
        var link = await db.Links.FirstOrDefaultAsync(l => l.UserId == userId && l.NotificationId == notificationId, cancellationToken);
        if (link is null)
        {
            return false;
        }

        db.Links.Remove(link);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A concurrent request removed it first: the outcome the caller asked for.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return true;
    }

    private Task<bool> IsLinkedAsync(string userId, string notificationId, CancellationToken cancellationToken) =>
        db.Links.AnyAsync(l => l.UserId == userId && l.NotificationId == notificationId, cancellationToken);
}

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
    /// <summary>The owning app's live notifications, newest first (then by id, descending).</summary>
    public IQueryable<Notification> OwnedBy(string appId)
    {
        DateTimeOffset now = clock.GetUtcNow();
        return db.Notifications.AsNoTracking()
            .Where(n => EF.Property<string>(n, StorageColumns.AppId) == appId && n.ExpirationDateTime > now)
            .OrderByDescending(n => n.CreatedAt)
            .ThenByDescending(n => n.Id);
    }

    /// <summary>
    /// The owning app's live notifications in one user's feed, newest first. It is read through the feed's links,
    /// whose index holds the order, so that a page costs the same however long the feed is.
    /// </summary>
    public IQueryable<Notification> Feed(string appId, string userId)
    {
        DateTimeOffset now = clock.GetUtcNow();
        return db.Links.AsNoTracking()
            .Where(l => l.UserId == userId && l.AppId == appId)
            .OrderByDescending(l => l.CreatedAt)
            .ThenByDescending(l => l.NotificationId)
            .Select(l => l.Notification!)
            .Where(n => n.ExpirationDateTime > now);
    }

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

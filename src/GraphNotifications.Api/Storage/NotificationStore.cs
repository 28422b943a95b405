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
    /// <summary>The owning app's live notifications, in the feed's order: newest first, then by id.</summary>
    public IQueryable<Notification> OwnedBy(string appId)
    {
        DateTimeOffset now = clock.GetUtcNow();
        return db.Notifications.AsNoTracking()
            .Where(n => EF.Property<string>(n, StorageColumns.AppId) == appId && n.ExpirationDateTime > now)
            .OrderByDescending(n => EF.Property<long>(n, StorageColumns.CreatedAt))
            .ThenBy(n => n.Id);
    }

    /// <summary>The owning app's live notifications in one user's feed.</summary>
    public IQueryable<Notification> Feed(string appId, string userId) =>
        OwnedBy(appId).Where(n => db.Links.Any(l => l.UserId == userId && l.NotificationId == n.Id));

    /// <summary>
    /// Stores a new notification and, when a user is named, links it into that user's feed, in one commit. The
    /// service assigns the id, keeps the expiry in UTC, and makes it Graph's maximum when none was sent.
    /// </summary>
    public async Task CreateAsync(Notification notification, string appId, string? userId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = clock.GetUtcNow();
        notification.Id = Guid.NewGuid().ToString();
        notification.ExpirationDateTime = (notification.ExpirationDateTime ?? now + NotificationRules.MaximumLifetime).ToUniversalTime();
        var entry = db.Notifications.Add(notification);
        entry.Property(StorageColumns.AppId).CurrentValue = appId;
        entry.Property(StorageColumns.CreatedAt).CurrentValue = now.UtcTicks;
        if (userId is not null)
        {
            db.Links.Add(new UserNotificationLink { UserId = userId, NotificationId = notification.Id });
        }

        await db.SaveChangesAsync(cancellationToken);
        entry.State = EntityState.Detached;
    }

    /// <summary>Links a notification into a user's feed; linking what is already linked changes nothing.</summary>
    public async Task LinkAsync(string userId, string notificationId, CancellationToken cancellationToken)
    {
        if (await db.Links.AnyAsync(l => l.UserId == userId && l.NotificationId == notificationId, cancellationToken))
        {
            return;
        }

        db.Links.Add(new UserNotificationLink { UserId = userId, NotificationId = notificationId });
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

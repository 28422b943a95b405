using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// One user's feed of an app's live notifications, in their tenant. Its default order, newest first, is read along
/// the links' feed index (tenant, user, app, creation time, id), so a page is one index range whatever the feed's length.
/// </summary>
internal sealed class FeedCollection(NotificationsDbContext db, AppScope app, string userId, DateTimeOffset now) : IKeysetCollection<Notification>
{
    private IQueryable<UserNotificationLink> Links
    {
        get
        {
            var (tenantId, appId) = app;
            return db.Links.AsNoTracking().Where(l => l.TenantId == tenantId && l.UserId == userId && l.AppId == appId);
        }
    }

    public IQueryable<Notification> Unordered => AsItems(Live(Links));

    public SortKey Tiebreaker { get; } = SortKey.Of<Notification>(nameof(Notification.Id), descending: false);

    public IReadOnlyList<Type> DefaultPositionTypes { get; } = [typeof(long), typeof(string)];

    public IQueryable<Notification> InDefaultOrder(object?[]? position)
    {
        var links = Links;
        if (position is [long createdAt, string id])
        {
            links = links.Where(l => l.CreatedAt < createdAt || (l.CreatedAt == createdAt && string.Compare(l.NotificationId, id) < 0));
        }

        return AsItems(Live(links).OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.NotificationId));
    }

    /// <summary>
    /// The feed's items: each notification as this user sees it, its content with the user's state from the link.
    /// A projection, not the entity: a $filter, $orderby or count on a state property that is composed on it runs
    /// on the link's columns, along the link's indexes.
    /// </summary>
    internal static IQueryable<Notification> AsItems(IQueryable<UserNotificationLink> links) => links.Select(l => new Notification
    {
        Id = l.Notification!.Id,
        TargetHostName = l.Notification.TargetHostName,
        ExpirationDateTime = l.Notification.ExpirationDateTime,
        Payload = l.Notification.Payload,
        DisplayTimeToLive = l.Notification.DisplayTimeToLive,
        Priority = l.Notification.Priority,
        GroupName = l.Notification.GroupName,
        TargetPolicy = l.Notification.TargetPolicy,
        DynamicProperties = l.Notification.DynamicProperties,
        CreatedDateTime = l.Notification.CreatedDateTime,
        CreatedAt = l.CreatedAt,
        Version = l.Notification.Version,
        ReadState = l.ReadState,
        UserActionState = l.UserActionState,
        SnoozedUntilDateTime = l.SnoozedUntil,
        StateVersion = l.StateVersion,
    });

    public object?[] DefaultPositionOf(Notification item) => [item.CreatedAt, item.Id];

    // On the link's copy of the expiry: a count or a filter on the recipient's state then reads the link's index alone.
    private IQueryable<UserNotificationLink> Live(IQueryable<UserNotificationLink> links)
    {
        long live = now.UtcTicks;
        return links.Where(l => l.ExpiresAt > live);
    }
}

/// <summary>An app's live notifications in its tenant, linked or not (the <c>notifications</c> entity set), newest first.</summary>
internal sealed class OwnedCollection(NotificationsDbContext db, AppScope app, DateTimeOffset now) : IKeysetCollection<Notification>
{
    public IQueryable<Notification> Unordered
    {
        get
        {
            var (tenantId, appId) = app;
            return db.Notifications.AsNoTracking()
                .Where(n => EF.Property<string>(n, StorageColumns.TenantId) == tenantId
                    && EF.Property<string>(n, StorageColumns.AppId) == appId
                    && n.ExpirationDateTime > now);
        }
    }

    public SortKey Tiebreaker { get; } = SortKey.Of<Notification>(nameof(Notification.Id), descending: false);

    public IReadOnlyList<Type> DefaultPositionTypes { get; } = [typeof(long), typeof(string)];

    public IQueryable<Notification> InDefaultOrder(object?[]? position)
    {
        var query = Unordered;
        if (position is [long createdAt, string id])
        {
            query = query.Where(n => n.CreatedAt < createdAt || (n.CreatedAt == createdAt && string.Compare(n.Id, id) < 0));
        }

        return query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id);
    }

    public object?[] DefaultPositionOf(Notification item) => [item.CreatedAt, item.Id];
}

/// <summary>
/// The users of its tenant an app has notified: the service owns no directory, so a user is known by the links to
/// it. Ordered by id.
/// </summary>
internal sealed class UserCollection(NotificationsDbContext db, AppScope app) : IKeysetCollection<User>
{
    private IQueryable<UserNotificationLink> Links
    {
        get
        {
            var (tenantId, appId) = app;
            return db.Links.AsNoTracking().Where(l => l.TenantId == tenantId && l.AppId == appId);
        }
    }

    public IQueryable<User> Unordered => Links
        .Select(l => l.UserId)
        .Distinct()
        .Select(id => new User { Id = id });

    public SortKey Tiebreaker { get; } = SortKey.Of<User>(nameof(User.Id), descending: false);

    public IReadOnlyList<Type> DefaultPositionTypes { get; } = [typeof(string)];

    public IQueryable<User> InDefaultOrder(object?[]? position)
    {
        var ids = Links.Select(l => l.UserId).Distinct();
        if (position is [string after])
        {
            ids = ids.Where(id => string.Compare(id, after) > 0);
        }

        return ids.OrderBy(id => id).Select(id => new User { Id = id });
    }

    public object?[] DefaultPositionOf(User item) => [item.Id];
}

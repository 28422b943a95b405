using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.Subscriptions;

/// <summary>The subscriptions an owner sees, live ones only, in id order.</summary>
internal sealed class SubscriptionCollection(NotificationsDbContext db, SubscriptionOwner owner, DateTimeOffset now) : IKeysetCollection<Subscription>
{
    public IQueryable<Subscription> Unordered => SubscriptionStore.Visible(db.Subscriptions.AsNoTracking(), owner, now);

    public SortKey Tiebreaker { get; } = SortKey.Of<Subscription>(nameof(Subscription.Id), descending: false);

    public IReadOnlyList<Type> DefaultPositionTypes { get; } = [typeof(string)];

    public IQueryable<Subscription> InDefaultOrder(object?[]? position)
    {
        var query = Unordered;
        if (position is [string id])
        {
            query = query.Where(s => string.Compare(s.Id, id) > 0);
        }

        return query.OrderBy(s => s.Id);
    }

    public object?[] DefaultPositionOf(Subscription item) => [item.Id];
}

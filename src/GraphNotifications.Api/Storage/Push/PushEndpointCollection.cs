using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.Push;

/// <summary>A user's live push endpoints under one app, in id order.</summary>
internal sealed class PushEndpointCollection(NotificationsDbContext db, AppScope app, string userId, DateTimeOffset now) : IKeysetCollection<PushEndpoint>
{
    public IQueryable<PushEndpoint> Unordered => PushEndpointStore.Owned(db.PushEndpoints.AsNoTracking(), app, userId, now);

    public SortKey Tiebreaker { get; } = SortKey.Of<PushEndpoint>(nameof(PushEndpoint.Id), descending: false);

    public IReadOnlyList<Type> DefaultPositionTypes { get; } = [typeof(string)];

    public IQueryable<PushEndpoint> InDefaultOrder(object?[]? position)
    {
        var query = Unordered;
        if (position is [string id])
        {
            query = query.Where(e => string.Compare(e.Id, id) > 0);
        }

        return query.OrderBy(e => e.Id);
    }

    public object?[] DefaultPositionOf(PushEndpoint item) => [item.Id];
}

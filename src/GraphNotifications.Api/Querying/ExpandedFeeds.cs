using GraphNotifications.Api.Resources;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.OData;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Api.Querying;

/// <summary>
/// <c>$expand=notifications</c> on users: each user's feed is read from the store with the nested
/// <c>$filter</c>, <c>$orderby</c>, <c>$skip</c> and <c>$top</c> applied there, at most
/// <see cref="QueryLimits.MaxExpandedItems"/> items (the feed itself pages further). The nested options are applied
/// again in memory when the page is shaped; on what the store already narrowed, that changes nothing.
/// </summary>
public static class ExpandedFeeds
{
    private static readonly DynamicPropertyFilterBinder Filters = new();

    public static async Task LoadAsync(IReadOnlyList<User> users, ODataQueryOptions<User> options, Func<string, IKeysetCollection<Notification>> feedOf, CancellationToken cancellationToken)
    {
        var expansion = options.SelectExpand?.SelectExpandClause?.SelectedItems
            .OfType<ExpandedNavigationSelectItem>()
            .FirstOrDefault(e => e.NavigationSource?.Name == "notifications" || e.PathToNavigationProperty.LastSegment.Identifier == "notifications");
        if (expansion is null)
        {
            return;
        }

        long skip = expansion.SkipOption ?? 0;
        long top = expansion.TopOption ?? QueryLimits.MaxExpandedItems;
        if (top > QueryLimits.MaxExpandedItems)
        {
            throw new ODataException($"$expand=notifications returns at most {QueryLimits.MaxExpandedItems} notifications a user; page through /users/{{id}}/notifications for more.");
        }

        var model = options.Context.Model;
        foreach (var user in users)
        {
            var feed = feedOf(user.Id);
            IQueryable<Notification> query;
            if (expansion.OrderByOption is null)
            {
                query = Filter(feed.InDefaultOrder(null), expansion.FilterOption, options);
            }
            else
            {
                var keys = SortKey.FromOrderBy(expansion.OrderByOption, model, typeof(Notification));
                keys.Add(feed.Tiebreaker);
                query = Keyset.Order(Filter(feed.Unordered, expansion.FilterOption, options), keys);
            }

            user.Notifications = await StoreQuery.RunAsync(() => query.Take((int)(skip + top)).ToListAsync(cancellationToken));
        }
    }

    private static IQueryable<Notification> Filter(IQueryable<Notification> query, FilterClause? filter, ODataQueryOptions<User> options) =>
        filter is null
            ? query
            : StoreQuery.Bind(() => (IQueryable<Notification>)Filters.ApplyBind(query, filter, new QueryBinderContext(options.Context.Model, QueryLimits.Store, typeof(Notification))));
}

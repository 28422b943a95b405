using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Routing;
using GraphNotifications.Api.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Query;

namespace GraphNotifications.Api.Controllers;

/// <summary>
/// Users, as far as this service knows them: an id and a feed. <c>/me</c> and <c>/users/{id}</c> follow the feed's
/// access rules; <c>/users</c> lists the users an app has notified, for app-only callers.
/// </summary>
public sealed class UsersController(NotificationStore store) : GraphController
{
    [ODataRoute("GET", "me")]
    [ODataRoute("GET", "users/{userId}")]
    public async Task<IActionResult> Get(string? userId, ODataQueryOptions<User> options, CancellationToken cancellationToken)
    {
        if (FeedAccess.TryResolveOwner(Caller, userId, out string owner) is { } denied)
        {
            return Error(denied);
        }

        if (QueryOptionsCheck.Check(Request, options) is { } refused)
        {
            return Error(refused);
        }

        List<User> users = [new User { Id = owner }];
        await ExpandedFeeds.LoadAsync(users, options, FeedOf, cancellationToken);
        if (options.SelectExpand is null)
        {
            return Ok(users[0]);
        }

        Request.ODataFeature().SelectExpandClause = options.SelectExpand.SelectExpandClause;
        return Ok(StoreQuery.Bind(() => options.SelectExpand.ApplyTo(users.AsQueryable(), QueryLimits.InMemory).Cast<object>().Single()));
    }

    [ODataRoute("GET", "users")]
    [Authorize(Policy = NotificationsPermission.AppOnlyPolicyName)]
    public async Task<IActionResult> List(ODataQueryOptions<User> options, CancellationToken cancellationToken)
    {
        var page = await CollectionPager.ReadAsync(Request, store.UserPages(App), options, cancellationToken,
            users => ExpandedFeeds.LoadAsync(users, options, FeedOf, cancellationToken));
        return page.Error is null ? Ok(page.Items) : Error(page.Error);
    }

    private IKeysetCollection<Notification> FeedOf(string userId) => store.FeedPages(App, userId);
}

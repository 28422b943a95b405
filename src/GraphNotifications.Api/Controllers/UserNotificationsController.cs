using System.Text.Json;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Idempotency;
using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Protocol;
using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Routing;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Validation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Deltas;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.OData;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Controllers;

/// <summary>
/// A user's feed: <c>/me/notifications</c> and <c>/users/{id}/notifications</c>, with the navigation-property POST
/// and the <c>$ref</c> links. <c>/me</c> is the same feed as <c>/users/{the caller's id}</c>.
/// </summary>
[FeedOwner]
public sealed class UserNotificationsController(NotificationStore store) : GraphController
{
    [ODataRoute("GET", "me/notifications")]
    [ODataRoute("GET", "users/{userId}/notifications")]
    public async Task<IActionResult> List(string? userId, ODataQueryOptions<Notification> options, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        return await PageAsync(store.FeedPages(App, owner), options, cancellationToken);
    }

    [ODataRoute("GET", "me/notifications/$count")]
    [ODataRoute("GET", "users/{userId}/notifications/$count")]
    public async Task<IActionResult> Count(string? userId, ODataQueryOptions<Notification> options, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        return await CountAsync(store.FeedPages(App, owner), options, cancellationToken);
    }

    [ODataRoute("GET", "me/notifications/{notificationId}")]
    [ODataRoute("GET", "users/{userId}/notifications/{notificationId}")]
    public async Task<IActionResult> Get(string? userId, string notificationId, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        var notification = await store.Feed(App, owner).FirstOrDefaultAsync(n => n.Id == notificationId, cancellationToken);
        return notification is null ? Error(GraphError.NotificationNotFound(notificationId)) : Ok(notification);
    }

    [ODataRoute("POST", "me/notifications")]
    [ODataRoute("POST", "users/{userId}/notifications")]
    [NotificationBody(BodyMode.Create)]
    [Idempotent]
    public async Task<IActionResult> Post(string? userId, [ModelBinder<ValidatedBody>] Notification? notification, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        if (notification is null || !ModelState.IsValid)
        {
            return UnreadableBody();
        }

        await store.CreateAsync(notification, App, owner, cancellationToken);
        return Created(notification);
    }

    [ODataRoute("PATCH", "me/notifications/{notificationId}")]
    [ODataRoute("PATCH", "users/{userId}/notifications/{notificationId}")]
    [NotificationBody(BodyMode.Update)]
    public async Task<IActionResult> Patch(string? userId, string notificationId, [FromBody] Delta<Notification>? delta, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        if (delta is null || !ModelState.IsValid)
        {
            return UnreadableBody();
        }

        return await UpdateNotificationAsync(store, new NotificationScope(App, owner), notificationId, delta, cancellationToken);
    }

    /// <summary>Deletes the notification itself: it leaves every feed. Dismissing it from one feed is <c>DELETE …/$ref</c>.</summary>
    [ODataRoute("DELETE", "me/notifications/{notificationId}")]
    [ODataRoute("DELETE", "users/{userId}/notifications/{notificationId}")]
    public async Task<IActionResult> Delete(string? userId, string notificationId, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        return await DeleteNotificationAsync(store, new NotificationScope(App, owner), notificationId, cancellationToken);
    }

    [ODataRoute("GET", "me/notifications/$ref")]
    [ODataRoute("GET", "users/{userId}/notifications/$ref")]
    public async Task<IActionResult> ListRefs(string? userId, ODataQueryOptions<Notification> options, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        if (options.SelectExpand is not null)
        {
            return Error(GraphError.BadRequest("$select and $expand do not apply to references ($ref)."));
        }

        var page = await CollectionPager.ReadAsync(Request, store.FeedPages(App, owner), options, cancellationToken);
        if (page.Error is not null)
        {
            return Error(page.Error);
        }

        var feature = Request.ODataFeature();
        return Ok(new ODataEntityReferenceLinks
        {
            Links = [.. ((List<Notification>)page.Items).Select(n => new ODataEntityReferenceLink { Url = ServiceRoot.NotificationUrl(Request, n.Id) })],
            NextPageLink = feature.NextLink,
            Count = feature.TotalCount,
        });
    }

    [ODataRoute("POST", "me/notifications/$ref")]
    [ODataRoute("POST", "users/{userId}/notifications/$ref")]
    [Idempotent]
    public async Task<IActionResult> CreateRef(string? userId, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        // Read here rather than bound: the framework's binder reports a missing @odata.id as a null link, and a
        // reader of Graph's page who posts a whole notification here needs to be told where it belongs.
        var (reference, problem) = await ReferenceBody.ReadAsync(Request, cancellationToken);
        if (problem is not null)
        {
            return Error(problem);
        }

        return await LinkAsync(owner, reference!, cancellationToken);
    }

    [ODataRoute("DELETE", "me/notifications/{notificationId}/$ref")]
    [ODataRoute("DELETE", "users/{userId}/notifications/{notificationId}/$ref")]
    public async Task<IActionResult> DeleteRef(string? userId, string notificationId, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        return await UnlinkAsync(owner, notificationId, cancellationToken);
    }

    [ODataRoute("DELETE", "me/notifications/$ref")]
    [ODataRoute("DELETE", "users/{userId}/notifications/$ref")]
    public async Task<IActionResult> DeleteRefById(string? userId, [FromQuery(Name = "$id")] string? id, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        if (string.IsNullOrWhiteSpace(id))
        {
            return Error(GraphError.BadRequest("Name the notification to remove: …/notifications/{id}/$ref, or …/notifications/$ref?$id={its URL}."));
        }

        string? notificationId = ServiceRoot.NotificationIdFrom(Request, id);
        return notificationId is null
            ? Error(ReferenceBody.NotANotification(id, "$id"))
            : await UnlinkAsync(owner, notificationId, cancellationToken);
    }

    private async Task<IActionResult> LinkAsync(string owner, string reference, CancellationToken cancellationToken)
    {
        string? notificationId = ServiceRoot.NotificationIdFrom(Request, reference);
        if (notificationId is null)
        {
            return Error(ReferenceBody.NotANotification(reference, "@odata.id"));
        }

        // An app links only its own notifications; a delegated caller sees only what is already in its feed.
        if (Caller.IsDelegated && !await store.Feed(App, owner).AnyAsync(n => n.Id == notificationId, cancellationToken))
        {
            return Error(GraphError.NotificationNotFound(notificationId));
        }

        return await store.LinkAsync(App, owner, notificationId, cancellationToken)
            ? NoContent()
            : Error(GraphError.NotificationNotFound(notificationId));
    }

    private async Task<IActionResult> UnlinkAsync(string owner, string notificationId, CancellationToken cancellationToken)
    {
        bool visible = await store.Feed(App, owner).AnyAsync(n => n.Id == notificationId, cancellationToken);
        return visible && await store.UnlinkAsync(App, owner, notificationId, cancellationToken)
            ? NoContent()
            : Error(GraphError.NotificationNotFound(notificationId));
    }
}

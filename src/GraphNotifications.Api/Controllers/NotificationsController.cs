using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Idempotency;
using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Routing;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Deltas;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Controllers;

/// <summary>
/// The <c>notifications</c> entity set: every notification an app has created, linked to users or not yet. Only
/// app-only callers reach it; a delegated caller's view is its own feed.
/// </summary>
[Authorize(Policy = NotificationsPermission.AppOnlyPolicyName)]
public sealed class NotificationsController(NotificationStore store) : GraphController
{
    [ODataRoute("GET", "notifications")]
    public Task<IActionResult> List(ODataQueryOptions<Notification> options, CancellationToken cancellationToken) =>
        PageAsync(store.OwnedPages(App), options, cancellationToken);

    [ODataRoute("GET", "notifications/$count")]
    public Task<IActionResult> Count(ODataQueryOptions<Notification> options, CancellationToken cancellationToken) =>
        CountAsync(store.OwnedPages(App), options, cancellationToken);

    [ODataRoute("GET", "notifications/{notificationId}")]
    public async Task<IActionResult> Get(string notificationId, CancellationToken cancellationToken)
    {
        var notification = await store.OwnedBy(App).FirstOrDefaultAsync(n => n.Id == notificationId, cancellationToken);
        return notification is null ? Error(GraphError.NotificationNotFound(notificationId)) : Ok(notification);
    }

    [ODataRoute("POST", "notifications")]
    [NotificationBody(BodyMode.Create)]
    [Idempotent]
    public async Task<IActionResult> Post([ModelBinder<ValidatedBody>] Notification? notification, CancellationToken cancellationToken)
    {
        if (notification is null || !ModelState.IsValid)
        {
            return UnreadableBody();
        }

        await store.CreateAsync(notification, App, userId: null, cancellationToken);
        return Created(notification);
    }

    [ODataRoute("PATCH", "notifications/{notificationId}")]
    [NotificationBody(BodyMode.Update)]
    public async Task<IActionResult> Patch(string notificationId, [FromBody] Delta<Notification>? delta, CancellationToken cancellationToken)
    {
        if (delta is null || !ModelState.IsValid)
        {
            return UnreadableBody();
        }

        return await UpdateNotificationAsync(store, new NotificationScope(App, UserId: null), notificationId, delta, cancellationToken);
    }

    /// <summary>
    /// <c>markAllAsRead</c> is bound to the collection type, so OData's path parser accepts it here too; but the
    /// entity set is nobody's feed and has nothing to mark.
    /// </summary>
    [ODataRoute("POST", "notifications/microsoft.graph.markAllAsRead")]
    public IActionResult MarkAllAsRead() => Error(GraphError.BadRequest(
        "markAllAsRead marks a user's feed: call it on /me/notifications or /users/{id}/notifications. /notifications is the app's notifications, nobody's feed, and has no read state."));

    /// <summary>Deletes the notification: from the entity set and from every feed it was in.</summary>
    [ODataRoute("DELETE", "notifications/{notificationId}")]
    public Task<IActionResult> Delete(string notificationId, CancellationToken cancellationToken) =>
        DeleteNotificationAsync(store, new NotificationScope(App, UserId: null), notificationId, cancellationToken);
}

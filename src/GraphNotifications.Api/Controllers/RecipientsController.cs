using GraphNotifications.Api.Errors;
using GraphNotifications.Api.FanOut;
using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Routing;
using GraphNotifications.Api.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Controllers;

/// <summary>
/// Fan-out, this service's own actions bound to a notification: <c>addRecipients</c> links it into many users' feeds
/// in one call, <c>removeRecipients</c> removes it from many, each as <c>POST</c> / <c>DELETE …/$ref</c> would for
/// one feed (docs/fan-out.md). Only the app that created the notification, app-only (the role that links into another
/// user's feed), in its tenant; to anyone else the notification does not exist (404), as to <c>$ref</c>. 204.
/// </summary>
[Authorize(Policy = NotificationsPermission.AppOnlyPolicyName)]
public sealed class RecipientsController(NotificationStore store, IOptions<FanOutOptions> options) : GraphController
{
    public const string AddRecipients = "addRecipients";
    public const string RemoveRecipients = "removeRecipients";

    [ODataRoute("POST", "notifications/{notificationId}/microsoft.graph.addRecipients")]
    [FanOutBodyLimit]
    public Task<IActionResult> Add(string notificationId, CancellationToken cancellationToken) =>
        FanOutAsync(AddRecipients, notificationId, store.AddRecipientsAsync, cancellationToken);

    [ODataRoute("POST", "notifications/{notificationId}/microsoft.graph.removeRecipients")]
    [FanOutBodyLimit]
    public Task<IActionResult> Remove(string notificationId, CancellationToken cancellationToken) =>
        FanOutAsync(RemoveRecipients, notificationId, store.RemoveRecipientsAsync, cancellationToken);

    private async Task<IActionResult> FanOutAsync(string action, string notificationId,
        Func<AppScope, string, IReadOnlyCollection<string>, CancellationToken, Task<int?>> fanOut, CancellationToken cancellationToken)
    {
        var (userIds, error) = await RecipientsBody.ReadAsync(Request, action, options.Value.MaxRecipientsPerCall, cancellationToken);
        if (error is not null)
        {
            return Error(error);
        }

        return await fanOut(App, notificationId, userIds!, cancellationToken) is null
            ? Error(GraphError.NotificationNotFound(notificationId))
            : NoContent();
    }
}

using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Routing;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Validation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Controllers;

/// <summary>
/// <c>markAllAsRead</c>, bound to a user's feed: every unread item of the feed created at or before the call (or the
/// optional <c>throughDateTime</c>) becomes read, each an updated change. Whoever may change the feed's items may call
/// it: the signed-in user on their own feed, an app on a user's feed of its tenant. 204.
/// </summary>
[FeedOwner]
public sealed class MarkAllAsReadController(NotificationStore store, TimeProvider clock, IOptions<RecipientStateOptions> options) : GraphController
{
    [ODataRoute("POST", "me/notifications/microsoft.graph.markAllAsRead")]
    [ODataRoute("POST", "users/{userId}/notifications/microsoft.graph.markAllAsRead")]
    public async Task<IActionResult> MarkAllAsRead(string? userId, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        var (through, error) = await MarkAllAsReadBody.ReadAsync(Request, cancellationToken);
        if (error is not null)
        {
            return Error(error);
        }

        DateTimeOffset now = clock.GetUtcNow();
        // A cut-off in the future would take in items created while the batches run: the call's own time is the latest.
        var cutoff = through is { } sent && sent < now ? sent : now;
        return await store.MarkAllAsReadAsync(App, owner, cutoff, options.Value.MarkAllAsReadBatchSize, cancellationToken) is null
            ? Error(GraphError.Conflict("The feed's items are being changed by other requests at the same time; retry (what was marked stays marked)."))
            : NoContent();
    }
}

using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Protocol;
using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Deltas;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Routing.Controllers;

namespace GraphNotifications.Api.Controllers;

/// <summary>
/// What every controller of the service shares: a token with the notifications permission (only $metadata and the
/// service document, served by the framework, are open), the caller, and Graph errors as results.
/// </summary>
[Authorize(Policy = NotificationsPermission.PolicyName)]
public abstract class GraphController : ODataController
{
    protected Caller Caller => Caller.FromClaims(User);

    /// <summary>What the caller reaches in the store: its app's notifications, in its tenant.</summary>
    protected AppScope App => new(Caller.TenantId, Caller.AppId);

    protected static IActionResult Error(GraphError error) => new GraphErrorResult(error);

    /// <summary>Whose feed the request acts on, resolved before the action ran (<see cref="FeedOwnerAttribute"/>).</summary>
    protected string FeedOwner => FeedOwnerAttribute.Of(HttpContext);

    /// <summary>A page of a collection, with every query option honored or refused.</summary>
    protected async Task<IActionResult> PageAsync<T>(IKeysetCollection<T> collection, ODataQueryOptions<T> options, CancellationToken cancellationToken)
    {
        var page = await CollectionPager.ReadAsync(Request, collection, options, cancellationToken);
        return page.Error is null ? Ok(page.Items) : Error(page.Error);
    }

    /// <summary>The size of a collection after <c>$filter</c>, as <c>…/$count</c> answers it: a number in text.</summary>
    protected async Task<IActionResult> CountAsync<T>(IKeysetCollection<T> collection, ODataQueryOptions<T> options, CancellationToken cancellationToken)
    {
        var (count, error) = await CollectionPager.CountAsync(Request, collection, options, cancellationToken);
        return error is null ? Ok(count) : Error(error);
    }

    /// <summary>Answers a body the OData reader refused after validation had passed: a 400, never a 500.</summary>
    protected IActionResult UnreadableBody()
    {
        string message = ModelState.Values.SelectMany(v => v.Errors)
            .Select(e => e.Exception?.Message ?? e.ErrorMessage)
            .FirstOrDefault(m => !string.IsNullOrEmpty(m)) ?? "The request body could not be read as a notification.";
        return Error(GraphError.BadRequest(message));
    }

    /// <summary>
    /// PATCH of a notification the scope addresses: the delta merged into it under the request's <c>If-Match</c> and
    /// <c>If-None-Match</c>.
    /// 204, or what the request's <c>return</c> preference asks for (<see cref="NotificationAnswers.Updated"/>); the new ETag either way.
    /// </summary>
    protected async Task<IActionResult> UpdateNotificationAsync(NotificationStore store, NotificationScope scope, string notificationId,
        Delta<Notification> delta, CancellationToken cancellationToken)
    {
        if (!EntityTagPreconditions.TryRead(Request, out var preconditions, out string? malformed))
        {
            return Error(EntityTagPreconditions.Malformed(malformed!));
        }

        // The recipient's state (readState, userActionState, snoozedUntilDateTime) is changed through a feed only, for
        // that recipient; everything else in the body is the app's content, for every feed, as before.
        var state = RecipientStateBody.StateOf(HttpContext, name => delta.TryGetPropertyValue(name, out object? value) ? value : null);
        if (state is not null && scope.UserId is null)
        {
            // /notifications shows no state (null): a read answer sent back as it is changes nothing; a value is refused.
            if (RecipientStateBody.SetsAnyValue(state))
            {
                return Error(RecipientStateBody.RefusedOutsideFeed(RecipientStateBody.SetBy(HttpContext), create: false)!);
            }

            state = null;
        }
        else if (state is not null && RecipientStateBody.NullInFeed(HttpContext, state) is { } nullState)
        {
            return Error(nullState);
        }

        bool content = state is null || RecipientStateBody.SetsContent(HttpContext);
        var change = await store.UpdateAsync(scope, notificationId, preconditions, content ? notification => delta.Patch(notification) : null, cancellationToken, state);
        if (change.Outcome != ChangeOutcome.Done)
        {
            return Error(ChangeFailed(change, notificationId));
        }

        return NotificationAnswers.Updated(Request, change.Notification!);
    }

    /// <summary>DELETE of a notification the scope addresses, under the request's <c>If-Match</c> and <c>If-None-Match</c>: 204.</summary>
    protected async Task<IActionResult> DeleteNotificationAsync(NotificationStore store, NotificationScope scope, string notificationId,
        CancellationToken cancellationToken)
    {
        if (!EntityTagPreconditions.TryRead(Request, out var preconditions, out string? malformed))
        {
            return Error(EntityTagPreconditions.Malformed(malformed!));
        }

        var change = await store.DeleteAsync(scope, notificationId, preconditions, cancellationToken);
        return change.Outcome == ChangeOutcome.Done ? NoContent() : Error(ChangeFailed(change, notificationId));
    }

    private static GraphError ChangeFailed(NotificationChange change, string notificationId) => change.Outcome switch
    {
        ChangeOutcome.NotFound => GraphError.NotificationNotFound(notificationId),
        ChangeOutcome.PreconditionFailed => EntityTagPreconditions.Unmet(change.FailedPrecondition),
        ChangeOutcome.Invalid => GraphError.InvalidBody(change.Problems!),
        _ => GraphError.Conflict("The notification is being changed by other requests at the same time; retry."),
    };
}

using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Protocol;
using Microsoft.AspNetCore.Mvc.Filters;

namespace GraphNotifications.Api.Identity;

/// <summary>
/// Decides whose feed an action of <c>/me/…</c> or <c>/users/{userId}/…</c> acts on (<see cref="FeedAccess"/>), once,
/// before any such action runs: a refusal is the answer, and the action reads the owner with <see cref="Of"/>. The
/// items it answers are then edited on that feed's path (<see cref="FeedEditLinks"/>). On a controller it applies to the
/// actions with a <c>userId</c> parameter. It runs innermost among the action filters, where the idempotency and
/// precondition filters expect the action's own answer.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class FeedOwnerAttribute : Attribute, IActionFilter, IOrderedFilter
{
    private const string UserIdParameter = "userId";

    private static readonly object Key = new();

    public int Order => 1000;

    /// <summary>The user whose feed the request acts on, as this filter resolved it.</summary>
    public static string Of(HttpContext http) =>
        http.Items[Key] as string ?? throw new InvalidOperationException($"The action has no [{nameof(FeedOwnerAttribute)}] filter.");

    public void OnActionExecuting(ActionExecutingContext context)
    {
        if (!context.ActionDescriptor.Parameters.Any(p => p.Name == UserIdParameter))
        {
            return;
        }

        // Bound from /users/{userId}; absent (null) for /me.
        string? routeUserId = context.ActionArguments.TryGetValue(UserIdParameter, out object? bound) ? bound as string : null;
        var http = context.HttpContext;
        if (FeedAccess.TryResolveOwner(Caller.FromClaims(http.User), routeUserId, out string owner) is { } denied)
        {
            context.Result = new GraphErrorResult(denied);
            return;
        }

        http.Items[Key] = owner;
        FeedEditLinks.Remember(http, routeUserId);
    }

    public void OnActionExecuted(ActionExecutedContext context)
    {
    }
}

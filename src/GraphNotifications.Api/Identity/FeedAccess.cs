using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Identity;

/// <summary>
/// Whose feed a request may act on, as Graph decides it for <c>/me</c> and <c>/users/{id}</c>. The user is always
/// one of the caller's tenant: the id resolved here is read with the caller's <c>TenantId</c> (see <c>AppScope</c>).
/// </summary>
public static class FeedAccess
{
    /// <param name="routeUserId">The id in <c>/users/{id}</c>, or null for <c>/me</c>.</param>
    public static GraphError? TryResolveOwner(Caller caller, string? routeUserId, out string owner)
    {
        owner = string.Empty;
        if (routeUserId is null)
        {
            if (caller.IsAppOnly)
            {
                return GraphError.BadRequest("/me is valid only with a delegated token (a signed-in user); an app-only token must name the user: /users/{id}.");
            }

            owner = caller.UserId!;
            return null;
        }

        if (caller.IsDelegated && !string.Equals(routeUserId, caller.UserId, StringComparison.Ordinal))
        {
            return GraphError.Forbidden("A delegated caller may act only on its own user's feed: /me or /users/{its own id}.");
        }

        if (UserIds.Problem(routeUserId) is { } problem)
        {
            return GraphError.BadRequest($"The user id in the path is not valid: {problem}.");
        }

        owner = routeUserId;
        return null;
    }
}

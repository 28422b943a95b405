using GraphNotifications.Api.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace GraphNotifications.Api.Identity;

/// <summary>
/// Answers the authorization middleware's 401 and 403 with Graph errors. The 401 still goes through the bearer
/// scheme's challenge, so <c>WWW-Authenticate: Bearer</c> says what was wrong with the token.
/// </summary>
public sealed class GraphAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            await context.ChallengeAsync();
            bool tokenSent = context.Request.Headers.Authorization.Count > 0;
            string message = tokenSent
                ? "The access token is invalid, expired or not meant for this service."
                : GraphErrorCodes.DefaultMessage(StatusCodes.Status401Unauthorized);
            if (context.Items[BearerEvents.FailureItem] is string reason)
            {
                message = reason;
            }

            await GraphErrorWriter.WriteAsync(context, new GraphError(StatusCodes.Status401Unauthorized, GraphErrorCodes.Unauthorized, message));
            return;
        }

        if (authorizeResult.Forbidden)
        {
            string message = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message
                ?? GraphErrorCodes.DefaultMessage(StatusCodes.Status403Forbidden);
            await GraphErrorWriter.WriteAsync(context, GraphError.Forbidden(message));
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

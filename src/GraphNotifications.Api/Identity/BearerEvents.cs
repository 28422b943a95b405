using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace GraphNotifications.Api.Identity;

/// <summary>
/// Hooks on the standard JWT bearer scheme: a token that validates but names no app (or, delegated, no user) is
/// refused, and the reason is kept for the 401's message.
/// </summary>
public static class BearerEvents
{
    public const string FailureItem = "GraphNotifications.AuthenticationFailure";

    public static void Configure(JwtBearerOptions options)
    {
        // Keep the claim names as issued (scp, roles, oid), not the WS-Federation URIs.
        options.MapInboundClaims = false;
        options.Events ??= new JwtBearerEvents();
        options.Events.OnTokenValidated = context =>
        {
            if (context.Principal is not null && Caller.FromClaims(context.Principal, out var problem) is null)
            {
                context.HttpContext.Items[FailureItem] = problem;
                context.Fail(problem!);
            }

            return Task.CompletedTask;
        };
    }
}

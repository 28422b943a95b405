using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace GraphNotifications.Bench.Baseline;

/// <summary>The caller, read from the token's claims with the service's rules (src/GraphNotifications.Api/Identity/Caller.cs).</summary>
public sealed record Caller(string TenantId, string AppId, string? UserId)
{
    public const string Permission = "Notifications.ReadWrite.CreatedByApp";
    public const string Policy = "Notifications";

    private static readonly object Key = new();

    /// <summary>The caller the token named, read once when the token was validated.</summary>
    public static Caller? Of(HttpContext context) => context.Items[Key] as Caller;

    internal static void Keep(HttpContext context, Caller caller) => context.Items[Key] = caller;

    /// <summary>The caller when the token names an app and holds the permission (as a scope when it names a user, else as a role).</summary>
    public static Caller? From(ClaimsPrincipal principal)
    {
        string? appId = First(principal, "azp", "appid");
        if (appId is null)
        {
            return null;
        }

        bool delegated = Holds(principal, "scp", "scope", out bool scoped);
        string? userId = null;
        if (scoped)
        {
            userId = First(principal, "oid", "sub");
            if (userId is null || !delegated)
            {
                return null;
            }
        }
        else if (!Holds(principal, "roles", "role", out _))
        {
            return null;
        }

        return new Caller(First(principal, "tid") ?? "default", appId, userId);
    }

    private static string? First(ClaimsPrincipal principal, string type, string? fallback = null)
    {
        string? value = principal.FindFirst(type)?.Value;
        if (string.IsNullOrWhiteSpace(value) && fallback is not null)
        {
            value = principal.FindFirst(fallback)?.Value;
        }

        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>Whether the claims of the two types grant the permission; <paramref name="any"/> says whether there were any.</summary>
    private static bool Holds(ClaimsPrincipal principal, string type, string alternative, out bool any)
    {
        any = false;
        foreach (var claim in principal.Claims)
        {
            if (claim.Type == type || claim.Type == alternative)
            {
                foreach (string value in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    any = true;
                    if (value == Permission)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}

public static class IdentityExtensions
{
    /// <summary>JWT bearer bound to <c>Authentication:Schemes:Bearer</c>, as the service configures it; a policy that needs a <see cref="Caller"/>.</summary>
    public static IServiceCollection AddBaselineIdentity(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            // The claim names as issued (scp, roles, oid), as the service keeps them.
            options.MapInboundClaims = false;
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (context.Principal is { } principal && Caller.From(principal) is { } caller)
                    {
                        Caller.Keep(context.HttpContext, caller);
                    }
                    else
                    {
                        context.Fail("The token names no app with the notifications permission.");
                    }

                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Caller.Policy, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.Resource is HttpContext http && Caller.Of(http) is not null));
        return services;
    }
}

using Microsoft.AspNetCore.Authorization;

namespace GraphNotifications.Api.Identity;

public static class IdentityExtensions
{
    /// <summary>
    /// The framework's JWT bearer scheme, bound to <c>Authentication:Schemes:Bearer</c>: <c>dotnet user-jwts</c>
    /// tokens in development, an OIDC authority such as Entra ID in production, by configuration alone.
    /// </summary>
    public static IServiceCollection AddGraphIdentity(this IServiceCollection services)
    {
        services.AddAuthentication().AddJwtBearer(BearerEvents.Configure);
        services.AddAuthorizationBuilder()
            .AddPolicy(NotificationsPermission.PolicyName, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new NotificationsPermission(appOnly: false)))
            .AddPolicy(NotificationsPermission.AppOnlyPolicyName, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new NotificationsPermission(appOnly: true)));
        services.AddSingleton<IAuthorizationHandler, NotificationsPermissionHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, GraphAuthorizationResultHandler>();
        return services;
    }
}

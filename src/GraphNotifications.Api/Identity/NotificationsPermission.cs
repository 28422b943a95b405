using Microsoft.AspNetCore.Authorization;

namespace GraphNotifications.Api.Identity;

/// <summary>
/// Graph's permission for this API, <c>Notifications.ReadWrite.CreatedByApp</c>: a delegated scope or an app role.
/// <see cref="PolicyName"/> admits either; <see cref="AppOnlyPolicyName"/> admits only the app role (for the
/// <c>notifications</c> entity set, which no single user's feed scopes).
/// </summary>
public sealed class NotificationsPermission(bool appOnly) : IAuthorizationRequirement
{
    public const string Name = "Notifications.ReadWrite.CreatedByApp";
    public const string PolicyName = "Notifications";
    public const string AppOnlyPolicyName = "Notifications.AppOnly";

    public bool AppOnly { get; } = appOnly;
}

public sealed class NotificationsPermissionHandler : AuthorizationHandler<NotificationsPermission>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, NotificationsPermission requirement)
    {
        var caller = Caller.FromClaims(context.User, out _);
        if (caller is null)
        {
            return Task.CompletedTask;
        }

        if (requirement.AppOnly && caller.IsDelegated)
        {
            context.Fail(new AuthorizationFailureReason(this,
                $"This resource is for app-only callers with the application permission {NotificationsPermission.Name}; delegated callers use /me/notifications."));
        }
        else if (!caller.Holds(NotificationsPermission.Name))
        {
            string kind = caller.IsDelegated ? "delegated scope (scp)" : "application role (roles)";
            context.Fail(new AuthorizationFailureReason(this, $"The token lacks the {kind} {NotificationsPermission.Name}."));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

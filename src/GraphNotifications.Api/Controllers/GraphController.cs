using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
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

    protected static IActionResult Error(GraphError error) => new GraphErrorResult(error);

    /// <summary>Answers a body the OData reader refused after validation had passed: a 400, never a 500.</summary>
    protected IActionResult UnreadableBody()
    {
        string message = ModelState.Values.SelectMany(v => v.Errors)
            .Select(e => e.Exception?.Message ?? e.ErrorMessage)
            .FirstOrDefault(m => !string.IsNullOrEmpty(m)) ?? "The request body could not be read as a notification.";
        return Error(GraphError.BadRequest(message));
    }
}

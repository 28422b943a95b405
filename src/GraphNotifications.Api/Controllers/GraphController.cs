using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Querying;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
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

    protected static IActionResult Error(GraphError error) => new GraphErrorResult(error);

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
}

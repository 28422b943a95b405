using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Protocol;
using GraphNotifications.Api.Push;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Routing;
using GraphNotifications.Api.Storage.Push;
using GraphNotifications.Api.Subscriptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Controllers;

/// <summary>
/// A user's push endpoints, <c>/me/pushEndpoints</c> and <c>/users/{id}/pushEndpoints</c>, with the feed's access
/// rules (<see cref="Identity.FeedAccess"/>): the user through the app, or the app with its role for any user. An
/// endpoint belongs to the caller's tenant and app and to that user, and exists for nobody else (404). The body is
/// checked first, then the endpoint's host (the webhooks' rules); either failing is a 400 that stores nothing.
/// </summary>
[FeedOwner]
public sealed class PushEndpointsController(PushEndpointStore store, IOptions<PushOptions> options, PushEndpointRules rules, TimeProvider clock)
    : GraphController
{
    [ODataRoute("GET", "me/pushEndpoints")]
    [ODataRoute("GET", "users/{userId}/pushEndpoints")]
    public async Task<IActionResult> List(string? userId, ODataQueryOptions<PushEndpoint> queryOptions, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        return await PageAsync(store.Pages(App, owner), queryOptions, cancellationToken);
    }

    [ODataRoute("GET", "me/pushEndpoints/{pushEndpointId}")]
    [ODataRoute("GET", "users/{userId}/pushEndpoints/{pushEndpointId}")]
    public async Task<IActionResult> Get(string? userId, string pushEndpointId, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        return await store.FindAsync(App, owner, pushEndpointId, cancellationToken) is { } endpoint ? Ok(endpoint) : Error(EndpointNotFound(pushEndpointId));
    }

    [ODataRoute("POST", "me/pushEndpoints")]
    [ODataRoute("POST", "users/{userId}/pushEndpoints")]
    [ChecksAcceptFirst]
    public async Task<IActionResult> Post(string? userId, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        if (JsonBody.Unsupported(Request) is { } unsupported)
        {
            return Error(unsupported);
        }

        var (node, unreadable) = await JsonBody.ReadAsync(Request,
            "a push endpoint as a JSON object (what PushSubscription.toJSON() gives, plus \"platformType\": \"webPush\")", cancellationToken);
        if (unreadable is not null)
        {
            return Error(unreadable);
        }

        if (node is not JsonObject body)
        {
            return Error(GraphError.BadRequest("The request body must be a push endpoint as a JSON object."));
        }

        var problems = new List<GraphErrorDetail>();
        var endpoint = PushEndpointBody.Read(body, clock.GetUtcNow(), problems);
        if (problems.Count == 0 && await rules.WhyRefusedAsync(endpoint.Endpoint, cancellationToken) is { } refused)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, refused, "endpoint"));
        }

        if (problems.Count > 0)
        {
            return Error(GraphError.BadRequest(problems.Count == 1 ? problems[0].Message : $"The push endpoint has {problems.Count} problems; see details.", problems));
        }

        int max = options.Value.MaxEndpointsPerUser;
        var (outcome, stored) = await store.AddAsync(App, owner, endpoint, max, cancellationToken);
        return outcome == PushEndpointAdded.LimitReached
            ? Error(GraphError.BadRequest($"The user has {max} push endpoints under this app, the most allowed; delete one that is no longer used first."))
            : Created(stored);
    }

    [ODataRoute("DELETE", "me/pushEndpoints/{pushEndpointId}")]
    [ODataRoute("DELETE", "users/{userId}/pushEndpoints/{pushEndpointId}")]
    public async Task<IActionResult> Delete(string? userId, string pushEndpointId, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        return await store.DeleteAsync(App, owner, pushEndpointId, cancellationToken) ? NoContent() : Error(EndpointNotFound(pushEndpointId));
    }

    private static GraphError EndpointNotFound(string id) =>
        GraphError.NotFound($"No push endpoint with id '{id}' exists for this user, or it is not visible to the caller.");
}

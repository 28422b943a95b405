using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Protocol;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Routing;
using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Api.Storage.Subscriptions;
using GraphNotifications.Api.Subscriptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Controllers;

/// <summary>
/// The <c>subscriptions</c> entity set: an app's requests to hear of changes to a user's notification feed at a
/// webhook. A subscription is its creator's (tenant, app, and the signed-in user of a delegated call) and exists for
/// nobody else: 404. The body is checked first, then the caller's access to the feed, then the notification URL's
/// host, then the handshake; a failure of any is a 400 that stores nothing.
/// </summary>
public sealed class SubscriptionsController(
    SubscriptionStore store,
    ChangeLogReader changeLog,
    NotificationUrlGuard urls,
    ValidationHandshake handshake,
    IOptions<SubscriptionOptions> options,
    TimeProvider clock) : GraphController
{
    private SubscriptionOwner Owner => new(Caller.TenantId, Caller.AppId, Caller.UserId ?? string.Empty);

    [ODataRoute("GET", "subscriptions")]
    public Task<IActionResult> List(ODataQueryOptions<Subscription> queryOptions, CancellationToken cancellationToken) =>
        PageAsync(store.Pages(Owner), queryOptions, cancellationToken);

    [ODataRoute("GET", "subscriptions/{subscriptionId}")]
    public async Task<IActionResult> Get(string subscriptionId, CancellationToken cancellationToken) =>
        await store.FindAsync(Owner, subscriptionId, cancellationToken) is { } subscription ? Ok(subscription) : Error(SubscriptionNotFound(subscriptionId));

    [ODataRoute("POST", "subscriptions")]
    public async Task<IActionResult> Post(CancellationToken cancellationToken)
    {
        var (body, unreadable) = await ReadBodyAsync(cancellationToken);
        if (body is null)
        {
            return Error(unreadable!);
        }

        var problems = new List<GraphErrorDetail>();
        var subscription = SubscriptionBody.ReadCreate(body, clock.GetUtcNow(), options.Value.MaxLifetime, problems);
        var resource = subscription.Resource.Length > 0 ? SubscriptionResource.Parse(subscription.Resource) : null;
        if (resource is null && subscription.Resource.Length > 0)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue,
                "'resource' must be me/notifications or users/{id}/notifications, optionally with ?$filter=targetHostName eq '{name}'.", "resource"));
        }
        else if (resource is { IsMe: true } && Caller.IsAppOnly)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, "'me/notifications' names a signed-in user's feed; an app-only caller names the user: users/{id}/notifications.", "resource"));
        }

        if (problems.Count > 0)
        {
            return Error(Invalid(problems));
        }

        if (resource is { IsMe: false } && Caller.IsDelegated && resource.UserId != Caller.UserId)
        {
            return Error(GraphError.Forbidden("A delegated caller may subscribe to its own user's feed only (me/notifications)."));
        }

        if (await CheckEndpointsAsync(subscription.NotificationUrl, subscription.LifecycleNotificationUrl, cancellationToken) is { } refused)
        {
            return Error(refused);
        }

        subscription.Id = Guid.NewGuid().ToString();
        subscription.TenantId = Caller.TenantId;
        subscription.ApplicationId = Caller.AppId;
        subscription.OwnerUserId = Caller.UserId ?? string.Empty;
        // Graph: the signed-in user of a delegated call, else the app's own identity.
        subscription.CreatorId = Caller.UserId ?? Caller.AppId;
        subscription.ResourceUserId = resource!.UserId ?? Caller.UserId!;
        subscription.TargetHostNameFilter = resource.TargetHostName;
        // It hears of the changes committed from now on.
        var mark = await changeLog.HighWaterMarkAsync(cancellationToken);
        (subscription.DeliveredThroughTransaction, subscription.DeliveredThrough) = (mark.TransactionId, mark.Sequence);
        await store.AddAsync(subscription, cancellationToken);
        return Created(subscription);
    }

    /// <summary>Renews a subscription (a new <c>expirationDateTime</c>) or moves it (<c>notificationUrl</c>, handshake again): 200 with it.</summary>
    [ODataRoute("PATCH", "subscriptions/{subscriptionId}")]
    public async Task<IActionResult> Patch(string subscriptionId, CancellationToken cancellationToken)
    {
        var (body, unreadable) = await ReadBodyAsync(cancellationToken);
        if (body is null)
        {
            return Error(unreadable!);
        }

        var problems = new List<GraphErrorDetail>();
        var (expiration, url) = SubscriptionBody.ReadRenewal(body, subscriptionId, clock.GetUtcNow(), options.Value.MaxLifetime, problems);
        if (problems.Count > 0)
        {
            return Error(Invalid(problems));
        }

        var subscription = await store.FindAsync(Owner, subscriptionId, cancellationToken);
        if (subscription is null)
        {
            return Error(SubscriptionNotFound(subscriptionId));
        }

        if (url is not null && url != subscription.NotificationUrl)
        {
            if (await CheckEndpointsAsync(url, lifecycleUrl: null, cancellationToken) is { } refused)
            {
                return Error(refused);
            }

            subscription.NotificationUrl = url;
        }

        if (expiration is not null)
        {
            subscription.ExpirationDateTime = expiration.Value;
        }

        // A renewal revives a subscription whose deliveries failed: it is tried again at once, from where it stopped.
        subscription.DeliveryFailedDateTime = null;
        subscription.FirstFailureAt = null;
        subscription.DeliveryAttempts = 0;
        subscription.NextAttemptAt = 0;

        await store.SaveAsync(cancellationToken);
        return Ok(subscription);
    }

    [ODataRoute("DELETE", "subscriptions/{subscriptionId}")]
    public async Task<IActionResult> Delete(string subscriptionId, CancellationToken cancellationToken) =>
        await store.DeleteAsync(Owner, subscriptionId, cancellationToken) ? NoContent() : Error(SubscriptionNotFound(subscriptionId));

    /// <summary>The URLs' hosts first (no request leaves for a refused one), then the handshake with each.</summary>
    private async Task<GraphError?> CheckEndpointsAsync(string notificationUrl, string? lifecycleUrl, CancellationToken cancellationToken)
    {
        var endpoints = new List<(string Property, string Url)> { ("notificationUrl", notificationUrl) };
        if (lifecycleUrl is not null)
        {
            endpoints.Add(("lifecycleNotificationUrl", lifecycleUrl));
        }

        var problems = new List<GraphErrorDetail>();
        foreach (var (property, url) in endpoints)
        {
            if (await urls.WhyRefusedAsync(property, url, cancellationToken) is { } reason)
            {
                problems.Add(new(GraphErrorCodes.InvalidValue, reason, property));
            }
        }

        if (problems.Count == 0)
        {
            foreach (var (property, url) in endpoints.DistinctBy(e => e.Url))
            {
                if (await handshake.WhyFailedAsync(property, url, cancellationToken) is { } reason)
                {
                    problems.Add(new(GraphErrorCodes.InvalidValue, reason, property));
                }
            }
        }

        return problems.Count == 0 ? null : Invalid(problems);
    }

    private async Task<(JsonObject? Body, GraphError? Error)> ReadBodyAsync(CancellationToken cancellationToken)
    {
        if (JsonBody.Unsupported(Request) is { } unsupported)
        {
            return (null, unsupported);
        }

        var (node, error) = await JsonBody.ReadAsync(Request, "a subscription as a JSON object ({\"changeType\": …, \"notificationUrl\": …, \"resource\": …, \"expirationDateTime\": …})", cancellationToken);
        return node switch
        {
            _ when error is not null => (null, error),
            JsonObject json => (json, null),
            _ => (null, GraphError.BadRequest("The request body must be a subscription as a JSON object.")),
        };
    }

    private static GraphError Invalid(IReadOnlyList<GraphErrorDetail> problems) => GraphError.BadRequest(
        problems.Count == 1 ? problems[0].Message : $"The subscription has {problems.Count} problems; see details.", problems);

    private static GraphError SubscriptionNotFound(string id) =>
        GraphError.NotFound($"No subscription with id '{id}' exists, or it is not visible to the caller.");
}

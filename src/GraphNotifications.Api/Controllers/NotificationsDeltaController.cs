using GraphNotifications.Api.Batch;
using GraphNotifications.Api.Delta;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Routing;
using GraphNotifications.Api.Streams;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Query;

namespace GraphNotifications.Api.Controllers;

/// <summary>
/// Graph's delta query on a user's feed: <c>…/notifications/delta</c> as Graph's documents write it, and the OData
/// forms <c>delta()</c> and <c>microsoft.graph.delta()</c>. Whoever may list a feed may sync it, page by page or as a
/// live stream (<c>Accept: text/event-stream</c>, see <see cref="FeedStream"/>).
/// </summary>
[FeedOwner]
public sealed class NotificationsDeltaController(IServiceProvider services) : GraphController
{
    [ODataRoute("GET", "me/notifications/microsoft.graph.delta()")]
    [ODataRoute("GET", "users/{userId}/notifications/microsoft.graph.delta()")]
    public async Task<IActionResult> Delta(string? userId, CancellationToken cancellationToken)
    {
        string owner = FeedOwner;

        var (options, refused) = DeltaOptions.Read(Request);
        if (refused is not null)
        {
            return Error(refused);
        }

        if (options!.IsFirstCall && options.Select is not null && CheckSelect() is { } badSelect)
        {
            return Error(badSelect);
        }

        if (EventStreamRequest.IsAsked(Request))
        {
            // A batch answers when each of its requests has ended; a stream does not end.
            return SubRequestContext.IsSubRequest(HttpContext)
                ? Error(GraphError.BadRequest("A live stream (Accept: text/event-stream) cannot be a request of a $batch; open it as a request of its own."))
                : await services.GetRequiredService<FeedStream>().RunAsync(ControllerContext, App, owner, options);
        }

        // Resolved here, not by the constructor: a stream must not hold the store context a page reads with.
        var delta = services.GetRequiredService<DeltaQuery>();
        var (page, error) = await delta.ReadAsync(Request, options, App, owner, cancellationToken);
        return error is null ? await DeltaResponse.WriteAsync(ControllerContext, page!) : Error(error);
    }

    // The first call's $select, parsed and checked as every collection checks it.
    private GraphError? CheckSelect()
    {
        var context = new ODataQueryContext(Request.GetModel(), typeof(Notification), Request.ODataFeature().Path);
        return QueryOptionsCheck.Check(Request, new ODataQueryOptions<Notification>(context, Request));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Api.Delta;

/// <summary>
/// Writes a delta page as Graph does: <c>value</c> holds notifications as every other read writes them (the service's
/// OData serializer, with <c>@odata.type</c>, <c>@odata.etag</c> and the page's <c>$select</c>) and removed ones as
/// <c>{"id", "@removed": {"reason"}}</c>, which OData's own delta format spells differently; then
/// <c>@odata.nextLink</c> or <c>@odata.deltaLink</c>.
/// </summary>
internal static class DeltaResponse
{
    public static async Task<IActionResult> WriteAsync(ControllerContext context, DeltaPage page)
    {
        var (written, contentType, refused) = await RenderAsync(context, page);
        if (refused is not null)
        {
            return new GraphErrorResult(refused);
        }

        var answer = new JsonObject();
        if (written!.ContextUrl is { } contextUrl)
        {
            answer["@odata.context"] = contextUrl;
        }

        answer["value"] = written.Value;
        if (page.NextLink is not null)
        {
            answer["@odata.nextLink"] = page.NextLink.AbsoluteUri;
        }

        if (page.DeltaLink is not null)
        {
            answer["@odata.deltaLink"] = page.DeltaLink.AbsoluteUri;
        }

        return new ContentResult { Content = answer.ToJsonString(), ContentType = contentType, StatusCode = StatusCodes.Status200OK };
    }

    /// <summary>The page's items as they are written, and the page's context URL.</summary>
    internal sealed record Written(JsonArray Value, JsonNode? ContextUrl);

    /// <summary>
    /// Writes the page's items, in page order, with the formatter <paramref name="context"/>'s request negotiates;
    /// a refusal when it negotiates no OData JSON. The live stream writes its events' data with this too.
    /// </summary>
    internal static async Task<(Written? Written, string ContentType, GraphError? Refused)> RenderAsync(ActionContext context, DeltaPage page)
    {
        var http = context.HttpContext;
        var present = page.Items.Where(i => i.Current is not null).Select(i => i.Current!).ToList();
        object items = present;
        if (page.Select is not null)
        {
            var model = http.Request.GetModel();
            var queryContext = new ODataQueryContext(model, typeof(Notification), http.Request.ODataFeature().Path);
            string selected = WithId(page.Select);
            var parser = new ODataQueryOptionParser(model, queryContext.ElementType, queryContext.NavigationSource,
                new Dictionary<string, string> { ["$select"] = selected })
            {
                // The route's resolver, as for every other collection's options (property names case-insensitive).
                Resolver = http.Request.GetRouteServices()?.GetService<ODataUriResolver>() ?? new ODataUriResolver(),
            };
            var select = new SelectExpandQueryOption(selected, null, queryContext, parser);
            http.Request.ODataFeature().SelectExpandClause = select.SelectExpandClause;
            items = StoreQuery.Bind(() => select.ApplyTo(present.AsQueryable(), QueryLimits.InMemory));
        }

        // The notifications, written by the OData formatter into a buffer; their JSON is then placed among the removed.
        // They are written as members of the notifications entity set, as a read of the feed writes them: the
        // function's own path has no entity set, and OData writes no @odata.etag without one. Graph's delta pages
        // name the entity set in @odata.context likewise ($metadata#users for users/delta).
        var feature = http.Request.ODataFeature();
        var path = feature.Path;
        var body = http.Response.Body;
        using var buffer = new MemoryStream();
        feature.Path = new ODataPath(new EntitySetSegment(http.Request.GetModel().EntityContainer.FindEntitySet("notifications")));
        http.Response.Body = buffer;
        try
        {
            await new OkObjectResult(items).ExecuteResultAsync(context);
        }
        finally
        {
            http.Response.Body = body;
            feature.Path = path;
        }

        string contentType = http.Response.ContentType ?? "application/json";
        int status = http.Response.StatusCode;
        if (status != StatusCodes.Status200OK)
        {
            // The formatter refused (no format the request accepts): answered as a Graph error, like any refusal.
            http.Response.StatusCode = StatusCodes.Status200OK;
            return (null, contentType, new GraphError(status, GraphErrorCodes.ForStatus(status), GraphErrorCodes.DefaultMessage(status)));
        }

        // Accept: text/* lets MVC's plain JSON formatter (text/json) write the items as a bare array: not a page.
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || JsonNode.Parse(buffer.ToArray()) is not JsonObject written)
        {
            http.Response.ContentType = null;
            return (null, contentType, new GraphError(StatusCodes.Status406NotAcceptable, GraphErrorCodes.ForStatus(StatusCodes.Status406NotAcceptable),
                "A delta page is written as application/json (OData JSON); the Accept header asks for another format."));
        }

        var values = written["value"]!.AsArray();
        var entities = new Queue<JsonNode?>(values.Select(v => v?.DeepClone()));
        var value = new JsonArray();
        foreach (var item in page.Items)
        {
            value.Add(item.Removed is { } reason
                ? new JsonObject
                {
                    ["id"] = item.Id,
                    ["@removed"] = new JsonObject { ["reason"] = JsonNamingPolicy.CamelCase.ConvertName(reason.ToString()) },
                }
                : entities.Dequeue());
        }

        return (new Written(value, written["@odata.context"]?.DeepClone()), contentType, null);
    }

    // Graph's delta items always carry their id, whatever $select names.
    private static string WithId(string select)
    {
        var parts = select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return string.Join(',', parts.Any(p => p is "id" or "*") ? parts : [.. parts, "id"]);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Protocol;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.Net.Http.Headers;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Api.Validation;

/// <summary>
/// Checks a notification body before model binding, so that a client hears of every problem at once (the OData
/// reader stops at the first). A create's body then becomes the resource its action binds (<see cref="ValidatedBody"/>);
/// an update's is handed to the OData reader in canonical form. A body that is not JSON is a 415.
/// An update's body (PATCH) is checked on its own here; its action checks Graph's rules again on the merged result.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NotificationBodyAttribute(BodyMode mode) : Attribute, IAsyncResourceFilter
{
    private const string NotificationType = "microsoft.graph.notification";

    private const string ExpectedBody = "a notification as a JSON object ({\"targetHostName\": …, \"payload\": {…}})";

    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (JsonBody.Unsupported(http.Request) is { } unsupported)
        {
            context.Result = new GraphErrorResult(unsupported);
            return;
        }

        var body = await ReadAsync(http.Request);
        if (body.Error is not null)
        {
            context.Result = new GraphErrorResult(body.Error);
            return;
        }

        var services = http.RequestServices;
        var model = services.GetRequiredService<IEdmModel>();
        var notificationType = (IEdmStructuredType)model.FindDeclaredType(NotificationType);
        var problems = new List<GraphErrorDetail>();
        bool ieee754 = DynamicNumbers.IsIeee754Compatible(http.Request.ContentType);
        var normalized = new ResourceBodyValidator(model) { ExpectedKey = mode == BodyMode.Update ? AddressedKey(http) : null, Ieee754Compatible = ieee754 }
            .Check(body.Json!, notificationType, mode, problems);
        // An update's body is judged here on what it says alone; the action checks the merged result again.
        NotificationRules.Check(normalized, services.GetRequiredService<TimeProvider>().GetUtcNow(), problems, mode);

        if (problems.Count > 0)
        {
            context.Result = new GraphErrorResult(GraphError.InvalidBody(problems));
            return;
        }

        if (mode == BodyMode.Create && RecipientStateBody.RefusedOutsideFeed(normalized.Select(p => p.Key), create: true) is { } refused)
        {
            context.Result = new GraphErrorResult(refused);
            return;
        }

        if (mode == BodyMode.Create)
        {
            // A create's action binds this resource (ValidatedBody): the body is parsed once.
            ValidatedBody.Set(http, new ValidatedResourceReader(model).Read(normalized, notificationType));
            await next();
            return;
        }

        // An update is read by the OData formatter into Delta<T>, which records what the body set; the action tells
        // the recipient's state from the app's content by the names kept here.
        RecipientStateBody.Remember(http, normalized);
        byte[] canonical = JsonSerializer.SerializeToUtf8Bytes(normalized);
        http.Request.Body = new MemoryStream(canonical);
        http.Request.ContentLength = canonical.Length;
        // Any JSON media type was accepted (application/merge-patch+json is what a PATCH means here); the OData
        // reader is handed the canonical body as the one type it reads (its numbers are numbers, whatever
        // IEEE754Compatible said).
        if (ieee754 || !MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var sent) || !sent.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            http.Request.ContentType = "application/json; charset=utf-8";
        }

        await next();
    }

    /// <summary>The key of the notification the request's OData path addresses, in either key syntax.</summary>
    private static string? AddressedKey(HttpContext http) =>
        http.ODataFeature().Path?.LastSegment is KeySegment key ? key.Keys.FirstOrDefault().Value as string : null;

    private static async Task<(JsonObject? Json, GraphError? Error)> ReadAsync(HttpRequest request)
    {
        var (node, error) = await JsonBody.ReadAsync(request, ExpectedBody, request.HttpContext.RequestAborted);
        return node switch
        {
            _ when error is not null => (null, error),
            JsonObject json => (json, null),
            JsonArray => (null, GraphError.BadRequest("The request body is a JSON array; send one notification as a JSON object.")),
            _ => (null, GraphError.BadRequest("The request body must be a notification as a JSON object.")),
        };
    }
}

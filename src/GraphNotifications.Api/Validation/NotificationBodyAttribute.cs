using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Protocol;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.OData.Edm;

namespace GraphNotifications.Api.Validation;

/// <summary>
/// Checks a notification body before model binding, so that a client hears of every problem at once (the OData
/// reader stops at the first), and hands the reader the body in canonical form. A body that is not JSON is a 415.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NotificationBodyAttribute(BodyMode mode) : Attribute, IAsyncResourceFilter
{
    private const string NotificationType = "microsoft.graph.notification";

    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.HasJsonContentType())
        {
            context.Result = new GraphErrorResult(GraphError.UnsupportedMediaType);
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
        var problems = new List<GraphErrorDetail>();
        var normalized = new ResourceBodyValidator(model)
            .Check(body.Json!, (IEdmStructuredType)model.FindDeclaredType(NotificationType), mode, problems);
        if (mode == BodyMode.Create)
        {
            NotificationRules.Check(normalized, services.GetRequiredService<TimeProvider>().GetUtcNow(), problems);
        }

        if (problems.Count > 0)
        {
            string message = problems.Count == 1
                ? problems[0].Message
                : $"The notification has {problems.Count} problems; see details.";
            context.Result = new GraphErrorResult(GraphError.BadRequest(message, problems));
            return;
        }

        byte[] canonical = JsonSerializer.SerializeToUtf8Bytes(normalized);
        http.Request.Body = new MemoryStream(canonical);
        http.Request.ContentLength = canonical.Length;
        await next();
    }

    private static async Task<(JsonObject? Json, GraphError? Error)> ReadAsync(HttpRequest request)
    {
        var (node, error) = await JsonBody.ReadAsync(request, request.HttpContext.RequestAborted);
        return node switch
        {
            _ when error is not null => (null, error),
            JsonObject json => (json, null),
            JsonArray => (null, GraphError.BadRequest("The request body is a JSON array; send one notification as a JSON object.")),
            _ => (null, GraphError.BadRequest("The request body must be a notification as a JSON object.")),
        };
    }
}

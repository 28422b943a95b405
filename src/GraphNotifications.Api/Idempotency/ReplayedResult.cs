using GraphNotifications.Api.Storage.Idempotency;
using Microsoft.AspNetCore.Mvc;

namespace GraphNotifications.Api.Idempotency;

/// <summary>
/// The recorded answer of a key's first request, sent again as it was. <c>Idempotent-Replayed: true</c> (the
/// service's own header, not the draft's) tells a client that nothing was created this time.
/// </summary>
public sealed class ReplayedResult(IdempotencyRecord record) : IActionResult
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = record.StatusCode;
        response.Headers[ReplayedHeader] = "true";
        if (record.Location is not null)
        {
            response.Headers.Location = record.Location;
        }

        if (record.ETag is not null)
        {
            response.Headers.ETag = record.ETag;
        }

        if (record.ContentType is not null)
        {
            response.ContentType = record.ContentType;
        }

        if (record.Body is { Length: > 0 } body)
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.HttpContext.RequestAborted);
        }
    }
}

using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Graph documents <c>If-Modified-Since</c> and <c>If-Range</c> as unsupported on this API, and answers them with
/// 400. Ignoring them would be worse: a client relying on either would take a full answer for a conditional one.
/// Entity tags (<c>If-Match</c>, <c>If-None-Match</c>) are the conditions this service offers.
/// </summary>
public sealed class UnsupportedConditionalHeaders(RequestDelegate next)
{
    private static readonly string[] Unsupported = ["If-Modified-Since", "If-Range"];

    public Task InvokeAsync(HttpContext context)
    {
        foreach (string header in Unsupported)
        {
            if (context.Request.Headers.ContainsKey(header))
            {
                return GraphErrorWriter.WriteAsync(context, GraphError.BadRequest(
                    $"The {header} header is not supported on this API. To read only what changed, send If-None-Match with the ETag of a notification.",
                    [new GraphErrorDetail(GraphErrorCodes.InvalidValue, "Not supported; leave it out.", header)]));
            }
        }

        return next(context);
    }
}

using Microsoft.Net.Http.Headers;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Stamps every response, errors included, with the correlation ids and <c>OData-Version</c>, and puts the
/// request-id on every log line written while the request runs.
/// </summary>
public sealed class GraphResponseHeadersMiddleware(RequestDelegate next, ILogger<GraphResponseHeadersMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers[RequestIds.RequestIdHeader] = RequestIds.RequestId(http);
            headers[RequestIds.ClientRequestIdHeader] = RequestIds.ClientRequestId(http);
            headers["OData-Version"] = "4.0";
            headers[HeaderNames.XContentTypeOptions] = "nosniff";
            return Task.CompletedTask;
        }, context);

        using (logger.BeginScope(new Dictionary<string, object> { [RequestIds.RequestIdHeader] = RequestIds.RequestId(context) }))
        {
            await next(context);
        }
    }
}

namespace GraphNotifications.Bench.Baseline;

/// <summary>The headers the service puts on every response: Graph's correlation ids, <c>OData-Version</c>, <c>nosniff</c>.</summary>
public sealed class ResponseHeaders(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            string id = Guid.NewGuid().ToString();
            var sent = http.Request.Headers["client-request-id"];
            var headers = http.Response.Headers;
            headers["request-id"] = id;
            headers["client-request-id"] = sent.Count == 1 && sent[0] is { Length: > 0 and <= 256 } client && client.All(c => c is >= ' ' and <= '~') ? client : id;
            headers["OData-Version"] = "4.0";
            headers.XContentTypeOptions = "nosniff";
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Graph's correlation headers: every response carries a fresh <c>request-id</c>, and <c>client-request-id</c>
/// echoes the caller's (or repeats the request-id when the caller sent none).
/// </summary>
public static class RequestIds
{
    public const string RequestIdHeader = "request-id";
    public const string ClientRequestIdHeader = "client-request-id";

    public static string RequestId(HttpContext context)
    {
        if (context.Items[RequestIdHeader] is not string id)
        {
            id = Guid.NewGuid().ToString();
            context.Items[RequestIdHeader] = id;
        }

        return id;
    }

    public static string ClientRequestId(HttpContext context)
    {
        string? sent = context.Request.Headers[ClientRequestIdHeader];
        return string.IsNullOrWhiteSpace(sent) ? RequestId(context) : sent;
    }
}

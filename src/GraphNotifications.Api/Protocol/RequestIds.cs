namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Graph's correlation headers: every response carries a fresh <c>request-id</c>, and <c>client-request-id</c>
/// echoes the caller's (or repeats the request-id when the caller sent none, or one that cannot be echoed).
/// </summary>
public static class RequestIds
{
    public const string RequestIdHeader = "request-id";
    public const string ClientRequestIdHeader = "client-request-id";

    /// <summary>The longest client-request-id echoed (Graph's are GUIDs, 36 characters).</summary>
    public const int MaxClientRequestIdLength = 256;

    public static string RequestId(HttpContext context)
    {
        if (context.Items[RequestIdHeader] is not string id)
        {
            id = Guid.NewGuid().ToString();
            context.Items[RequestIdHeader] = id;
        }

        return id;
    }

    /// <summary>
    /// The caller's client-request-id when it can go back in a response header as it came: visible ASCII and spaces,
    /// at most <see cref="MaxClientRequestIdLength"/> characters. Kestrel refuses to send any other character in a
    /// header (and then answers 500 with no body), so anything else counts as no id at all.
    /// </summary>
    public static string ClientRequestId(HttpContext context)
    {
        var sent = context.Request.Headers[ClientRequestIdHeader];
        return sent.Count == 1 && sent[0] is { Length: > 0 and <= MaxClientRequestIdLength } id && IsEchoable(id)
            ? id
            : RequestId(context);
    }

    private static bool IsEchoable(string id) =>
        !string.IsNullOrWhiteSpace(id) && id.All(c => c is >= ' ' and <= '~');
}

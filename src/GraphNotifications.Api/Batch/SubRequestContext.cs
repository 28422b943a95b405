using GraphNotifications.Api.Protocol;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace GraphNotifications.Api.Batch;

/// <summary>
/// A fresh <see cref="HttpContext"/> for one sub-request, as a server would make it for a request of its own: the
/// sub-request's method, URL, headers and body; the batch's host, connection and identity (its
/// <c>Authorization</c> header, whatever the sub-request's headers say); its own DI scope and a buffered response.
/// </summary>
internal static class SubRequestContext
{
    // Set by the batch, not by the sub-request: who calls and where, and what describes the body's framing.
    private const string SubRequestItem = "GraphNotifications.BatchRequestId";

    private static readonly string[] BatchOwnedHeaders =
        [HeaderNames.Authorization, HeaderNames.Host, HeaderNames.ContentLength, HeaderNames.TransferEncoding, HeaderNames.Connection];

    public static (HttpContext Context, BufferedResponseFeature Response) Create(
        HttpContext outer, BatchRequestItem request, SubRequestTarget? target, byte[] body, IServiceProvider services)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        foreach (var (name, value) in request.Headers)
        {
            if (!BatchOwnedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                headers.Append(name, value);
            }
        }

        headers.Host = outer.Request.Headers.Host;
        if (outer.Request.Headers.Authorization.Count > 0)
        {
            headers.Authorization = outer.Request.Headers.Authorization;
        }

        if (body.Length > 0)
        {
            headers.ContentLength = body.Length;
        }

        var path = target?.Path ?? PathString.Empty;
        var query = target?.Query ?? QueryString.Empty;
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = outer.Request.Protocol,
            Scheme = outer.Request.Scheme,
            Method = request.Method,
            PathBase = outer.Request.PathBase,
            Path = path,
            QueryString = query.Value ?? string.Empty,
            RawTarget = outer.Request.PathBase.Add(path).ToUriComponent() + query.ToUriComponent(),
            Headers = headers,
            Body = new MemoryStream(body, writable: false),
        });
        features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(body.Length > 0));
        var response = new BufferedResponseFeature();
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = outer.Connection.Id,
            RemoteIpAddress = outer.Connection.RemoteIpAddress,
            RemotePort = outer.Connection.RemotePort,
            LocalIpAddress = outer.Connection.LocalIpAddress,
            LocalPort = outer.Connection.LocalPort,
        });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = outer.RequestAborted });
        features.Set<IServiceProvidersFeature>(new ServiceProvidersFeature { RequestServices = services });
        var context = new DefaultHttpContext(features);
        context.Items[SubRequestItem] = request.Id;
        return (context, response);
    }

    /// <summary>Whether the request is one of a batch (a batch inside a batch is refused, however its URL is spelled).</summary>
    public static bool IsSubRequest(HttpContext context) => context.Items.ContainsKey(SubRequestItem);

    /// <summary>
    /// A header a server would refuse on the wire (a name that is no token, a value with control characters);
    /// null when every header could have been sent.
    /// </summary>
    public static string? UnsendableHeader(BatchRequestItem request) => request.Headers
        .Where(h => h.Key.Length == 0 || !h.Key.All(IsTokenChar) || h.Value.Any(c => char.IsControl(c) && c != '\t'))
        .Select(h => h.Key)
        .FirstOrDefault();

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    /// <summary>
    /// Stamps a response the batch answers itself (a dependency failed, the url was refused) with the headers the
    /// pipeline puts on every response.
    /// </summary>
    public static void StampHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers[RequestIds.RequestIdHeader] = RequestIds.RequestId(context);
        headers[RequestIds.ClientRequestIdHeader] = RequestIds.ClientRequestId(context);
        headers["OData-Version"] = "4.0";
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody { get; } = canHaveBody;
    }
}

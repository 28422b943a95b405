using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace GraphNotifications.Api.Streams;

/// <summary>
/// The context a stream writes its events' items in: the stream's own request (its identity, route, OData model and
/// services) but asking for OData JSON in minimal metadata, with a response of its own. The delta page's writer runs
/// in it after the stream's response has started, which the formatter could not do on the stream's own response
/// (it sets headers).
/// </summary>
internal static class ItemContext
{
    private const string Accept = "application/json;odata.metadata=minimal";

    public static ActionContext For(ActionContext stream)
    {
        var outer = stream.HttpContext;
        var original = outer.Features.GetRequiredFeature<IHttpRequestFeature>();
        IHeaderDictionary headers = new HeaderDictionary();
        foreach (var (name, value) in original.Headers)
        {
            headers[name] = value;
        }

        headers.Accept = Accept;
        var features = new FeatureCollection(outer.Features);
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = original.Protocol,
            Scheme = original.Scheme,
            Method = original.Method,
            PathBase = original.PathBase,
            Path = original.Path,
            QueryString = original.QueryString,
            RawTarget = original.RawTarget,
            Headers = headers,
            Body = Stream.Null,
        });
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        var context = new DefaultHttpContext(features);
        return new ActionContext(context, stream.RouteData, stream.ActionDescriptor);
    }
}

using GraphNotifications.Api.Contract;
using GraphNotifications.Api.Errors;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// What a client asks of the response's format, made into what AspNetCoreOData negotiates with:
/// <list type="bullet">
/// <item><c>$format</c> is <c>json</c>, or <c>application/json</c> with format parameters the service writes
/// (<see cref="JsonFormatParameters"/>); <c>$metadata</c> also takes <c>xml</c> and <c>application/xml</c>. Anything
/// else is a 406: AspNetCoreOData ignored a <c>$format</c> it did not know and answered in JSON, as if asked for it.</item>
/// <item><c>Accept</c>: a <c>charset=utf-8</c> parameter (the only charset the service writes) is taken off before
/// negotiation, which otherwise found no formatter for it (a 406 for <c>application/json;charset=utf-8</c>), and
/// 4.01's unprefixed <c>metadata</c> and <c>streaming</c> are read as <c>odata.metadata</c> and <c>odata.streaming</c>.</item>
/// <item>The response's <c>Content-Type</c> names a charset only when the <c>Accept</c> header did (OData 4.01 Part 1,
/// 8.2.1); it always names <c>odata.metadata</c> (OData JSON Format, 4.1).</item>
/// </list>
/// </summary>
public sealed class FormatNegotiation(RequestDelegate next)
{
    private const string Format = "$format";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!UnderVersionRoot(request.Path))
        {
            return next(context);
        }

        if (request.Query.TryGetValue(Format, out var format) && Refusal(format, IsMetadata(request.Path)) is { } refused)
        {
            return GraphErrorWriter.WriteAsync(context, refused);
        }

        bool charsetAsked = NormalizeAccept(request) && format.Count == 0;
        if (!charsetAsked)
        {
            context.Response.OnStarting(static state => RemoveCharset((HttpResponse)state), context.Response);
        }

        return next(context);
    }

    private static GraphError? Refusal(StringValues values, bool metadata)
    {
        if (values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
        {
            return GraphError.BadRequest(values.Count > 1
                ? "The query option '$format' is given more than once."
                : "The query option '$format' has no value.");
        }

        string value = values[0]!.Trim();
        if (value.Equals("json", StringComparison.OrdinalIgnoreCase)
            || (metadata && value.Equals("xml", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        if (MediaTypeHeaderValue.TryParse(value, out var mediaType))
        {
            if (mediaType.MediaType.Equals(JsonFormatParameters.JsonMediaType, StringComparison.OrdinalIgnoreCase))
            {
                return JsonFormatParameters.FirstUnsupported(mediaType.Parameters) is { } unsupported
                    ? NotAcceptable($"$format names the parameter '{unsupported}', which this service does not write. " + Offered(metadata))
                    : null;
            }

            if (metadata && mediaType.MediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase) && mediaType.Parameters.Count == 0)
            {
                return null;
            }
        }

        string shown = value.Length <= 100 ? value : value[..97] + "...";
        return NotAcceptable($"$format '{shown}' is not a format this service writes. " + Offered(metadata));
    }

    private static string Offered(bool metadata) =>
        "Use json, or application/json with odata.metadata=minimal|full|none, odata.streaming=true|false, IEEE754Compatible=true|false"
        + (metadata ? "; or xml (CSDL XML)." : ".");

    private static GraphError NotAcceptable(string message) =>
        new(StatusCodes.Status406NotAcceptable, GraphErrorCodes.NotAcceptable, message, [new GraphErrorDetail(GraphErrorCodes.InvalidValue, "Not a format of this service.", Format)]);

    /// <summary>Rewrites <c>Accept</c> for negotiation; whether it asked for <c>charset=utf-8</c>.</summary>
    private static bool NormalizeAccept(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var ranges))
        {
            return false;
        }

        bool changed = false;
        bool charset = false;
        foreach (var range in ranges)
        {
            for (int i = range.Parameters.Count - 1; i >= 0; i--)
            {
                var parameter = range.Parameters[i];
                string name = parameter.Name.ToString();
                if (name.Equals("charset", StringComparison.OrdinalIgnoreCase)
                    && HeaderUtilities.RemoveQuotes(parameter.Value).Equals("utf-8", StringComparison.OrdinalIgnoreCase))
                {
                    range.Parameters.RemoveAt(i);
                    charset = changed = true;
                }
                else if (JsonFormatParameters.Canonical(name) is var canonical && canonical != name
                    && range.MediaType.Equals(JsonFormatParameters.JsonMediaType, StringComparison.OrdinalIgnoreCase)
                    && !range.Parameters.Any(p => p.Name.Equals(canonical, StringComparison.OrdinalIgnoreCase)))
                {
                    range.Parameters[i] = new NameValueHeaderValue(canonical, parameter.Value);
                    changed = true;
                }
            }
        }

        if (changed)
        {
            request.Headers.Accept = string.Join(", ", ranges.Select(r => r.ToString()));
        }

        return charset;
    }

    /// <summary>Takes <c>charset</c> off the Content-Type of an OData JSON answer (one that names odata.metadata).</summary>
    private static Task RemoveCharset(HttpResponse response)
    {
        if (MediaTypeHeaderValue.TryParse(response.ContentType, out var contentType)
            && contentType.Parameters.Any(p => p.Name.Equals("odata.metadata", StringComparison.OrdinalIgnoreCase))
            && contentType.Charset.HasValue)
        {
            contentType.Charset = null;
            response.ContentType = contentType.ToString();
        }

        return Task.CompletedTask;
    }

    private static bool UnderVersionRoot(PathString path) =>
        ODataExtensions.Versions.Any(version => path.StartsWithSegments("/" + version, StringComparison.OrdinalIgnoreCase));

    private static bool IsMetadata(PathString path) =>
        path.Value is { } value && value.TrimEnd('/').EndsWith("/$metadata", StringComparison.OrdinalIgnoreCase);
}

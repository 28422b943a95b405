using System.Text.Encodings.Web;
using System.Text.Json;
using GraphNotifications.Api.Resources;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.Net.Http.Headers;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Api.Protocol.Json;

/// <summary>
/// Writes a page of notifications (<c>/me/notifications</c>, <c>/users/{id}/notifications</c>, <c>/notifications</c>)
/// or one notification (a read, a create's 201, an update's representation) asked for in the default format, straight
/// from the items with a <see cref="ResourceWritePlan"/>: the answers clients ask for most. It replaces AspNetCoreOData's
/// resource serializers there because their general machinery (a resource context, property lookups by name and a
/// writer state machine per value) was most of the CPU of a page and a fifth of a create's. Every other answer, and
/// these asked for with any other format, preference or shape (<c>$select</c>, <c>$format</c>, full or no metadata,
/// <c>IEEE754Compatible</c>), is left to AspNetCoreOData, which stays the reference this writer is tested against byte
/// for byte.
/// </summary>
public sealed class NotificationJsonFormatter : IOutputFormatter
{
    /// <summary>What AspNetCoreOData answers a JSON request with by default (FormatNegotiation takes the charset off unless asked).</summary>
    public const string ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly ResourceWritePlan? _plan;

    public NotificationJsonFormatter(IEdmModel model)
    {
        var type = model.FindDeclaredType($"{Contract.CsdlContract.Namespace}.notification") as IEdmStructuredType;
        _plan = type is null ? null : ResourceWritePlan.For(model, type);
    }

    public bool CanWriteResult(OutputFormatterCanWriteContext context)
    {
        if (_plan is null || !IsDefaultFormat(context.HttpContext.Request))
        {
            return false;
        }

        bool writable = context.Object switch
        {
            List<Notification> items => IsCollection(context.HttpContext.Request) && items.TrueForAll(_plan.CanWrite),
            Notification item => _plan.CanWrite(item),
            _ => false,
        };
        if (writable)
        {
            context.ContentType = ContentType;
        }

        return writable;
    }

    public async Task WriteAsync(OutputFormatterWriteContext context)
    {
        var request = context.HttpContext.Request;
        var response = context.HttpContext.Response;
        var feature = request.ODataFeature();
        response.ContentType = ContentType;
        response.Headers["OData-Version"] = "4.0";

        string root = ServiceRoot.Of(request).AbsoluteUri;
        string? feed = FeedEditLinks.Current(context.HttpContext);
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            writer.WriteStartObject();
            if (context.Object is Notification single)
            {
                writer.WriteString(ODataAnnotations.Context, root + "$metadata#notifications/$entity");
                WriteItem(writer, request, root, feed, single);
            }
            else
            {
                writer.WriteString(ODataAnnotations.Context, root + "$metadata#notifications");
                if (feature.TotalCount is { } count)
                {
                    writer.WriteNumber(ODataAnnotations.Count, count);
                }

                writer.WriteStartArray(ODataAnnotations.Value);
                foreach (var item in (List<Notification>)context.Object!)
                {
                    writer.WriteStartObject();
                    WriteItem(writer, request, root, feed, item);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                if (feature.NextLink is { } next)
                {
                    writer.WriteString(ODataAnnotations.NextLink, next.AbsoluteUri);
                }
            }

            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(context.HttpContext.RequestAborted);
    }

    // A notification's control information, then its properties. Read through a feed it is identified by its canonical
    // URL and edited on the feed's path (FeedEditLinks); through /notifications both follow OData's conventions, which
    // minimal metadata leaves out.
    private void WriteItem(Utf8JsonWriter writer, HttpRequest request, string root, string? feed, Notification item)
    {
        _plan!.WriteTypeAnnotation(writer);
        if (feed is not null)
        {
            writer.WriteString(ODataAnnotations.Id, ServiceRoot.NotificationUrl(request, item.Id).AbsoluteUri);
        }

        writer.WriteString(ODataAnnotations.ETag, NotificationETags.Of(item));
        if (feed is not null)
        {
            writer.WriteString(ODataAnnotations.EditLink, root + feed + "/" + Uri.EscapeDataString(item.Id));
        }

        _plan.WriteProperties(writer, item);
    }

    /// <summary>A request of the <c>notifications</c> entity set (or a feed bound to it) whose answer is the default format, as it is.</summary>
    private static bool IsDefaultFormat(HttpRequest request)
    {
        var feature = request.ODataFeature();
        return feature.Path is { } path
            && (path.LastSegment switch
            {
                EntitySetSegment set => set.EntitySet,
                NavigationPropertySegment navigation => navigation.NavigationSource,
                KeySegment key => key.NavigationSource,
                _ => null,
            }) is IEdmEntitySet { Name: "notifications" }
            && feature.SelectExpandClause is null
            && feature.DeltaLink is null
            && !request.Query.ContainsKey("$format")
            && !request.Headers.ContainsKey(HeaderNames.AcceptCharset)
            && AcceptsDefault(request.Headers.Accept)
            && OnlyPageSizeOrReturn(request.Headers["Prefer"]);
    }

    // A page is the answer to a GET of the collection itself (a create's answer to the same path is one notification).
    private static bool IsCollection(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.ODataFeature().Path.LastSegment.EdmType is IEdmCollectionType;

    // No Accept, or one range that JSON's default format satisfies, with no parameter that changes what is written.
    private static bool AcceptsDefault(Microsoft.Extensions.Primitives.StringValues accept)
    {
        if (accept.Count == 0)
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count != 1)
        {
            return false;
        }

        var range = ranges[0];
        return range.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || range.MatchesAllTypes
            || range.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase)
            ? range.Parameters.All(p => IsDefaultParameter(p.Name.ToString(), HeaderUtilities.RemoveQuotes(p.Value).ToString()))
            : false;
    }

    private static bool IsDefaultParameter(string name, string value) =>
        (name.Equals("odata.metadata", StringComparison.OrdinalIgnoreCase) && value.Equals("minimal", StringComparison.OrdinalIgnoreCase))
        || (name.Equals("odata.streaming", StringComparison.OrdinalIgnoreCase) && value.Equals("true", StringComparison.OrdinalIgnoreCase))
        || (name.Equals("q", StringComparison.OrdinalIgnoreCase) && value != "0");

    // The preferences the service applies before the answer is written (a page's size, a write's return); any other
    // may change what AspNetCoreOData writes, so it is left to it.
    private static bool OnlyPageSizeOrReturn(Microsoft.Extensions.Primitives.StringValues prefer)
    {
        foreach (string? header in prefer)
        {
            foreach (string preference in (header ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                string name = preference.Split('=', 2, StringSplitOptions.TrimEntries)[0];
                if (!name.Equals("odata.maxpagesize", StringComparison.OrdinalIgnoreCase) && !name.Equals("maxpagesize", StringComparison.OrdinalIgnoreCase)
                    && !name.Equals("return", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return true;
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.Net.Http.Headers;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Api.Protocol.Json;

/// <summary>
/// Writes a page of notifications (<c>/me/notifications</c>, <c>/users/{id}/notifications</c>, <c>/notifications</c>)
/// asked for in the default format, straight from the items with a <see cref="ResourceWritePlan"/>: the answer clients
/// ask for most. It replaces AspNetCoreOData's resource-set serializer there because that serializer's general
/// machinery (a resource context, property lookups by name and a writer state machine per value) was most of the CPU
/// of a page. Every other answer, and a page asked for with any other format, preference or shape (<c>$select</c>,
/// <c>$format</c>, full or no metadata, <c>IEEE754Compatible</c>), is left to AspNetCoreOData, which stays the reference
/// this writer is tested against byte for byte.
/// </summary>
public sealed class NotificationPageFormatter : IOutputFormatter
{
    /// <summary>What AspNetCoreOData answers a JSON request with by default (FormatNegotiation takes the charset off unless asked).</summary>
    public const string ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly ResourceWritePlan? _plan;

    public NotificationPageFormatter(IEdmModel model)
    {
        var type = model.FindDeclaredType($"{Contract.CsdlContract.Namespace}.notification") as IEdmStructuredType;
        _plan = type is null ? null : ResourceWritePlan.For(model, type);
    }

    public bool CanWriteResult(OutputFormatterCanWriteContext context)
    {
        if (_plan is null || context.Object is not List<Notification> items || !IsDefaultFormatPage(context.HttpContext.Request))
        {
            return false;
        }

        foreach (var item in items)
        {
            if (!_plan.CanWrite(item))
            {
                return false;
            }
        }

        context.ContentType = ContentType;
        return true;
    }

    public async Task WriteAsync(OutputFormatterWriteContext context)
    {
        var request = context.HttpContext.Request;
        var response = context.HttpContext.Response;
        var feature = request.ODataFeature();
        var items = (List<Notification>)context.Object!;
        response.ContentType = ContentType;
        response.Headers["OData-Version"] = "4.0";

        string root = ServiceRoot.Of(request).AbsoluteUri;
        string? feed = FeedEditLinks.Current(context.HttpContext);
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString(ODataAnnotations.Context, root + "$metadata#notifications");
            if (feature.TotalCount is { } count)
            {
                writer.WriteNumber(ODataAnnotations.Count, count);
            }

            writer.WriteStartArray(ODataAnnotations.Value);
            foreach (var item in items)
            {
                writer.WriteStartObject();
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
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (feature.NextLink is { } next)
            {
                writer.WriteString(ODataAnnotations.NextLink, next.AbsoluteUri);
            }

            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(context.HttpContext.RequestAborted);
    }

    /// <summary>A GET of a collection of the <c>notifications</c> entity set, in the default format, as it is.</summary>
    private static bool IsDefaultFormatPage(HttpRequest request)
    {
        var feature = request.ODataFeature();
        return HttpMethods.IsGet(request.Method)
            && feature.Path is { } path
            && (path.LastSegment switch { EntitySetSegment set => set.EntitySet, NavigationPropertySegment navigation => navigation.NavigationSource, _ => null }) is IEdmEntitySet { Name: "notifications" }
            && path.LastSegment.EdmType is IEdmCollectionType
            && feature.SelectExpandClause is null
            && feature.DeltaLink is null
            && !request.Query.ContainsKey("$format")
            && !request.Headers.ContainsKey(HeaderNames.AcceptCharset)
            && AcceptsDefault(request.Headers.Accept)
            && PagePreference.OnlyPageSizeIn(request.Headers["Prefer"]);
    }

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
}

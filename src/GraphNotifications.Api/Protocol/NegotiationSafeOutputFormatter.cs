using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.OData.Formatter;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// An AspNetCoreOData output formatter that, when it cannot write a result, leaves the media type under negotiation
/// as it found it. AspNetCoreOData's formatters narrow that type to their own (Accept: application/json becomes
/// application/json;odata.metadata=minimal;odata.streaming=true) before they find that they cannot write the payload,
/// and MVC offers the narrowed type to the next formatter. So <c>$metadata</c> with <c>Accept: application/json</c>,
/// which only the metadata formatter writes, was a 406, though <c>$format=application/json</c> is CSDL JSON.
/// </summary>
public sealed class NegotiationSafeOutputFormatter(IOutputFormatter inner) : IOutputFormatter, IApiResponseTypeMetadataProvider
{
    public IOutputFormatter Inner { get; } = inner;

    /// <summary>Wraps every OData output formatter of <paramref name="mvc"/>, keeping their order.</summary>
    public static void WrapODataFormatters(MvcOptions mvc)
    {
        for (int i = 0; i < mvc.OutputFormatters.Count; i++)
        {
            if (mvc.OutputFormatters[i] is ODataOutputFormatter odata)
            {
                mvc.OutputFormatters[i] = new NegotiationSafeOutputFormatter(odata);
            }
        }
    }

    public bool CanWriteResult(OutputFormatterCanWriteContext context)
    {
        var negotiated = context.ContentType;
        if (Inner.CanWriteResult(context))
        {
            return true;
        }

        context.ContentType = negotiated;
        return false;
    }

    public Task WriteAsync(OutputFormatterWriteContext context) => Inner.WriteAsync(context);

    public IReadOnlyList<string>? GetSupportedContentTypes(string? contentType, Type objectType) =>
        (Inner as IApiResponseTypeMetadataProvider)?.GetSupportedContentTypes(contentType, objectType);
}

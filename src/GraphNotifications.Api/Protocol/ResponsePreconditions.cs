using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Validation;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.OData;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Checks, before an action runs, what the response will need from the request, so that a request the service
/// cannot answer is refused before it changes anything:
/// <list type="bullet">
/// <item>a <c>Prefer</c> header ODataLib cannot parse: the OData writer parses it for every response it writes,
/// and its failure was a 400 after the notification had been stored;</item>
/// <item>for an action that stores a notification from a body and answers with it: an <c>Accept</c> no output
/// formatter can satisfy, which content negotiation found only after the store (a 406 that had stored).</item>
/// </list>
/// <c>OData-MaxVersion</c> and <c>OData-Version</c> are checked (and taken off) before routing, for every route and
/// every <c>$batch</c> sub-request alike, by <see cref="ODataVersionGuard"/>.
/// </summary>
public sealed class ResponsePreconditions : IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        var http = context.HttpContext;
        if (UnreadablePrefer(http.Request) is { } problem)
        {
            context.Result = new GraphErrorResult(GraphError.BadRequest(problem));
        }
        else if ((context.ActionDescriptor.FilterDescriptors.Any(f => f.Filter is NotificationBodyAttribute)
                || context.ActionDescriptor.EndpointMetadata.OfType<ChecksAcceptFirstAttribute>().Any())
            && !CanWriteNotification(http))
        {
            int status = StatusCodes.Status406NotAcceptable;
            context.Result = new GraphErrorResult(new GraphError(status, GraphErrorCodes.NotAcceptable, GraphErrorCodes.DefaultMessage(status)));
        }
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }

    /// <summary>Parses <c>Prefer</c> as the OData writer will (all its values, joined), or says why it cannot.</summary>
    private static string? UnreadablePrefer(HttpRequest request)
    {
        var values = request.Headers["Prefer"];
        if (values.Count == 0)
        {
            return null;
        }

        try
        {
            _ = new PreferOnly(string.Join(',', values.ToArray())).PreferHeader().AnnotationFilter;
            return null;
        }
        catch (ODataException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Whether content negotiation, as MVC will run it for the answer, finds a formatter for a notification.</summary>
    private static bool CanWriteNotification(HttpContext http)
    {
        var services = http.RequestServices;
        var probe = new OutputFormatterWriteContext(
            http,
            services.GetRequiredService<IHttpResponseStreamWriterFactory>().CreateWriter,
            typeof(Notification),
            new Notification());
        return services.GetRequiredService<OutputFormatterSelector>().SelectFormatter(probe, [], []) is not null;
    }

    /// <summary>A request message that carries only the Prefer header, for ODataLib's parser.</summary>
    private sealed class PreferOnly(string prefer) : IODataRequestMessage
    {
        public IEnumerable<KeyValuePair<string, string>> Headers => [new("Prefer", prefer)];

        public Uri Url { get; set; } = new("http://localhost/");

        public string Method { get; set; } = "GET";

        public string? GetHeader(string headerName) => string.Equals(headerName, "Prefer", StringComparison.OrdinalIgnoreCase) ? prefer : null;

        public void SetHeader(string headerName, string headerValue)
        {
        }

        public Stream GetStream() => Stream.Null;
    }
}

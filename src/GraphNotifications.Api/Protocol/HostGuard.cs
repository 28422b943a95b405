using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Refuses a request whose <c>Host</c> cannot be part of a URL. The service writes absolute URLs from it
/// (<c>@odata.context</c>, <c>Location</c>, next links, <c>$ref</c> links), and Kestrel lets through hosts no URI
/// can hold, such as a port past 65535: each such request would fail while its answer was written, a 500. Here it
/// is a 400 before anything runs.
/// </summary>
public sealed class HostGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Host.HasValue && Uri.TryCreate($"{request.Scheme}://{request.Host.Value}/", UriKind.Absolute, out var root) && root.Port > 0)
        {
            return next(context);
        }

        string host = request.Host.Value ?? string.Empty;
        return GraphErrorWriter.WriteAsync(context, GraphError.BadRequest(
            $"The Host header '{(host.Length <= 100 ? host : host[..97] + "...")}' does not name a host and port this service can write URLs for."));
    }
}

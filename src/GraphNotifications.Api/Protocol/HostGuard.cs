using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Refuses a request whose <c>Host</c> cannot be part of a URL. The service writes absolute URLs from it
/// (<c>@odata.context</c>, <c>Location</c>, next links, <c>$ref</c> links), and Kestrel lets through hosts no URI
/// can hold, such as a port past 65535, or punycode that does not decode (<c>xn--</c>, on which reading
/// <see cref="HttpRequest.Host"/> itself throws): each such request would fail as a 500. Here it is a 400 before
/// anything runs, read from the raw header.
/// </summary>
public sealed class HostGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        string host = context.Request.Headers.Host.ToString();
        if (IsUsable(context.Request.Scheme, host))
        {
            return next(context);
        }

        return GraphErrorWriter.WriteAsync(context, GraphError.BadRequest(
            $"The Host header '{(host.Length <= 100 ? host : host[..97] + "...")}' does not name a host and port this service can write URLs for."));
    }

    private static bool IsUsable(string scheme, string host)
    {
        try
        {
            // What HttpRequest.Host makes of the header, then a URL made from it, as the service will make them.
            var parsed = HostString.FromUriComponent(host);
            return parsed.HasValue
                && Uri.TryCreate($"{scheme}://{parsed.ToUriComponent()}/", UriKind.Absolute, out var root)
                && root.Port > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

using GraphNotifications.Api.Contract;

namespace GraphNotifications.Api.Batch;

/// <summary>
/// Where a sub-request goes. Graph clients send the url relative to the version root (<c>/me/notifications</c> or
/// <c>me/notifications</c>); an absolute URL must name this service (the batch's own host) under a version root.
/// A URL elsewhere, or one a server would refuse on the wire, answers that sub-request with a 400.
/// </summary>
public sealed record SubRequestTarget(PathString Path, QueryString Query)
{
    public static SubRequestTarget? Resolve(HttpRequest outer, string version, string url, out string? problem)
    {
        problem = null;
        if (url.Any(char.IsControl))
        {
            problem = "The url must not contain control characters.";
            return null;
        }

        // Graph's own batch examples leave spaces in $filter unencoded; a server would refuse them on the wire.
        url = Encode(url);

        string pathAndQuery;
        if (!url.StartsWith('/') && Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.Length > 1)
        {
            if (absolute.Scheme != Uri.UriSchemeHttp && absolute.Scheme != Uri.UriSchemeHttps
                || !string.Equals(absolute.Authority, outer.Host.Value, StringComparison.OrdinalIgnoreCase))
            {
                problem = $"The url '{url}' names another service; a batch addresses only this one ({outer.Scheme}://{outer.Host}).";
                return null;
            }

            pathAndQuery = absolute.PathAndQuery;
            string? root = ODataExtensions.Versions
                .Select(v => $"{outer.PathBase}/{v}/")
                .FirstOrDefault(r => pathAndQuery.StartsWith(r, StringComparison.OrdinalIgnoreCase));
            if (root is null)
            {
                problem = $"The url '{url}' is not under a version root of this service (/v1.0/ or /beta/).";
                return null;
            }

            pathAndQuery = pathAndQuery[(root.Length - 1)..];
            version = root[(outer.PathBase.Value?.Length ?? 0)..].Trim('/');
        }
        else if (url.Contains('#', StringComparison.Ordinal))
        {
            problem = $"The url '{url}' must not have a fragment.";
            return null;
        }
        else
        {
            pathAndQuery = "/" + url.TrimStart('/');
        }

        int queryStart = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        string path = queryStart < 0 ? pathAndQuery : pathAndQuery[..queryStart];
        string query = queryStart < 0 ? string.Empty : pathAndQuery[queryStart..];
        var target = new SubRequestTarget(PathString.FromUriComponent($"/{version}{path}"), QueryString.FromUriComponent(query));
        // Read as the router will read them: decoded.
        var segments = target.Path.Value!.Split('/');
        if (segments.Any(s => s is "." or ".."))
        {
            problem = $"The url '{url}' must not have '.' or '..' segments.";
            return null;
        }

        if (segments.Any(s => s.Equals("$batch", StringComparison.OrdinalIgnoreCase)))
        {
            problem = "A batch cannot contain another batch.";
            return null;
        }

        return target;
    }

    /// <summary>Percent-encodes what cannot stand in a request target (spaces, non-ASCII), leaving the rest as sent.</summary>
    private static string Encode(string url)
    {
        var encoded = new System.Text.StringBuilder(url.Length);
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.Value is > ' ' and <= '~')
            {
                encoded.Append((char)rune.Value);
            }
            else
            {
                encoded.Append(Uri.EscapeDataString(rune.ToString()));
            }
        }

        return encoded.ToString();
    }
}

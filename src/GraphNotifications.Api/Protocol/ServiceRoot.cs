using GraphNotifications.Api.Contract;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Api.Protocol;

/// <summary>URLs of this service: a notification's canonical URL, and reading one back from a client.</summary>
public static class ServiceRoot
{
    public static Uri Of(HttpRequest request) => new(EnsureSlash(request.CreateODataLink()));

    /// <summary>The canonical URL of a notification: <c>{service root}/notifications('{id}')</c>.</summary>
    public static Uri NotificationUrl(HttpRequest request, string id) =>
        new(Of(request), $"notifications('{Uri.EscapeDataString(id.Replace("'", "''", StringComparison.Ordinal))}')");

    /// <summary>
    /// The id of the notification that <paramref name="reference"/> names (absolute, or relative to the service
    /// root), or null when it names no notification of this service.
    /// </summary>
    public static string? NotificationIdFrom(HttpRequest request, string reference)
    {
        // Relative references resolve against the version the client called; absolute ones may name either version.
        if (!Uri.TryCreate(Of(request), reference, out var target))
        {
            return null;
        }

        var root = VersionRoots(request).FirstOrDefault(r => r.IsBaseOf(target) && string.Equals(r.Authority, target.Authority, StringComparison.OrdinalIgnoreCase));
        if (root is null)
        {
            return null;
        }

        try
        {
            var parser = new ODataUriParser(request.GetModel(), root, target)
            {
                Resolver = new ODataUriResolver { EnableCaseInsensitive = true },
                UrlKeyDelimiter = ODataUrlKeyDelimiter.Slash,
            };
            return parser.ParsePath().LastSegment is KeySegment key
                && key.EdmType is IEdmEntityType type && type.Name == "notification"
                ? key.Keys.Single().Value as string
                : null;
        }
        catch (ODataException)
        {
            return null;
        }
    }

    private static IEnumerable<Uri> VersionRoots(HttpRequest request) =>
        ODataExtensions.Versions.Select(version => new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/{version}/"));

    private static string EnsureSlash(string url) => url.EndsWith('/') ? url : url + "/";
}

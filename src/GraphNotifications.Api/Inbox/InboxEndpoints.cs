using Microsoft.Extensions.FileProviders;

namespace GraphNotifications.Api.Inbox;

/// <summary>
/// The inbox page at <c>/inbox/</c>: the service's reference client, a notification center in plain HTML, CSS and
/// JavaScript modules (docs/inbox.md). Its files are embedded in this assembly, so <c>dotnet run</c>, the tests'
/// processes and a published app serve the same page from any folder, offline. Anonymous, like <c>/scalar/</c>: the
/// page carries no data; it calls the API with the user's token.
/// </summary>
public static class InboxEndpoints
{
    public const string Path = "/inbox";

    /// <summary>
    /// Only the page's own files run or style it: no inline script or style, nothing from another origin, and it may
    /// not be framed (it would hold a token). Text the apps send is put into the page as text, never as markup, and
    /// this policy is the second fence if that ever slipped.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// A branch of the pipeline for <c>/inbox</c>: <c>/inbox</c> is redirected to <c>/inbox/</c>, which is
    /// <c>index.html</c>; an unknown file is a 404. It is a web page's files, not the API: a browser's revalidation
    /// (<c>If-Modified-Since</c>, <c>If-None-Match</c>) gets its 304, no OData negotiation applies, no token is read,
    /// and the API's rate limits do not count them (the page's calls to the API are counted as any client's).
    /// </summary>
    public static IApplicationBuilder MapInbox(this IApplicationBuilder app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(InboxEndpoints).Assembly, "Inbox/Page");
        return app.Map(Path, inbox =>
        {
            inbox.Use((context, next) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers["Referrer-Policy"] = "no-referrer";
                // Each visit revalidates (ETag), so a new version of the service serves its own page at once.
                headers.CacheControl = "no-cache";
                return next(context);
            });
            inbox.UseFileServer(new FileServerOptions { FileProvider = files });
        });
    }
}

using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Limits;

/// <summary>
/// Graph accepts request bodies compressed with gzip or deflate and answers any other <c>Content-Encoding</c> with
/// 415. The framework's request decompression, which runs next, then inflates them within the body-size limit.
/// </summary>
public sealed class ContentEncodingGuard(RequestDelegate next)
{
    private static readonly string[] Accepted = ["gzip", "deflate", "identity"];

    public Task InvokeAsync(HttpContext context)
    {
        var encodings = context.Request.Headers.ContentEncoding;
        foreach (string? header in encodings)
        {
            foreach (string encoding in (header ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Accepted.Contains(encoding, StringComparer.OrdinalIgnoreCase))
                {
                    return GraphErrorWriter.WriteAsync(context, new GraphError(
                        StatusCodes.Status415UnsupportedMediaType,
                        GraphErrorCodes.UnsupportedMediaType,
                        $"Content-Encoding '{encoding}' is not supported; send the body uncompressed, or compressed with gzip or deflate."));
                }
            }
        }

        if (encodings.Count > 1 || (encodings.Count == 1 && encodings[0]!.Contains(',', StringComparison.Ordinal)))
        {
            return GraphErrorWriter.WriteAsync(context, GraphError.BadRequest("Send one Content-Encoding: gzip or deflate."));
        }

        return next(context);
    }
}

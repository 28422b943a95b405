using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GraphNotifications.Api.Errors;
using Microsoft.Net.Http.Headers;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Reads a JSON request body within the service's limits (32 levels, no duplicate names) and refuses text that
/// parses but cannot be read: invalid UTF-8 in a string or a name, or an escaped lone UTF-16 surrogate
/// (<c>"\ud800"</c>). System.Text.Json checks those only when a string is first read, which would otherwise be
/// somewhere in the middle of validation, as an exception and a 500.
/// </summary>
public static partial class JsonBody
{
    public const int MaxDepth = 32;

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>
    /// The 415 for a body whose Content-Type is not JSON, or names a charset other than UTF-8 (JSON exchanged between
    /// systems is UTF-8, RFC 8259, 8.1, and the body is read as such); null when the body may be read.
    /// </summary>
    public static GraphError? Unsupported(HttpRequest request)
    {
        // JSON as HasJsonContentType judges it (application/json or a +json type), with the header parsed once.
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return GraphError.UnsupportedMediaType;
        }

        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset);
        return charset.HasValue && charset.Length > 0 && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            ? new GraphError(StatusCodes.Status415UnsupportedMediaType, GraphErrorCodes.UnsupportedMediaType,
                $"The request body must be JSON in UTF-8; charset={charset} is not accepted.")
            : null;
    }

    /// <summary>
    /// The body as JSON, every string and name in it readable; or the 400 that says why not.
    /// <paramref name="expected"/> says what the route takes ("a notification as a JSON object"), for the answer to an
    /// empty or malformed body.
    /// </summary>
    public static async Task<(JsonNode? Json, GraphError? Error)> ReadAsync(HttpRequest request, string expected, CancellationToken cancellationToken)
    {
        JsonNode? node;
        var body = new BodyContentWatch(request.Body);
        try
        {
            node = await JsonNode.ParseAsync(body, NodeOptions, DocumentOptions, cancellationToken);
        }
        catch (JsonException ex)
        {
            return (null, NotJson(ex, body.HasContent, expected));
        }
        catch (InvalidOperationException)
        {
            // The parser decodes names itself to find duplicates, and meets the same undecodable text first.
            return (null, Undecodable("/"));
        }

        return FirstUnreadable(node, path: null) is { } path ? (null, Undecodable(path)) : (node, null);
    }

    /// <summary>
    /// Parses a body with <paramref name="parse"/> and answers System.Text.Json's refusal in the service's words; for
    /// readers that need more than <see cref="ReadAsync"/> (the batch reads a <see cref="JsonDocument"/>).
    /// </summary>
    public static async Task<(T? Value, GraphError? Error)> ParseAsync<T>(HttpRequest request, string expected, Func<Stream, Task<T>> parse)
        where T : class
    {
        var body = new BodyContentWatch(request.Body);
        try
        {
            return (await parse(body), null);
        }
        catch (JsonException ex)
        {
            return (null, NotJson(ex, body.HasContent, expected));
        }
    }

    /// <summary>
    /// The 400 for a body System.Text.Json refused: empty (nothing but whitespace), or the parser's reason with the
    /// line and position (1-based, counted in bytes as the parser counts them), never its internals (isFinalBlock…).
    /// </summary>
    private static GraphError NotJson(JsonException ex, bool hasContent, string expected)
    {
        if (!hasContent)
        {
            return GraphError.BadRequest($"The request body is empty: {expected} was expected.");
        }

        string reason = ParserPosition().Replace(ex.Message, string.Empty).TrimEnd('.', ' ');
        string where = ex.LineNumber is { } line && ex.BytePositionInLine is { } position
            ? $" at line {line + 1}, position {position + 1}"
            : string.Empty;
        return GraphError.BadRequest($"The request body is not valid JSON: {reason}{where}; {expected} was expected.");
    }

    /// <summary>The position System.Text.Json appends to its messages; the answer says it in its own words.</summary>
    [GeneratedRegex(@"\s*(Path: [^|]*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex ParserPosition();

    private static GraphError Undecodable(string path) => GraphError.BadRequest(
        $"The request body is not valid JSON: the text at '{path}' is not valid UTF-8, or escapes a lone UTF-16 surrogate.",
        [new GraphErrorDetail(GraphErrorCodes.InvalidValue, "Send text as valid UTF-8; a \\u escape of a surrogate must be one of a pair.", path)]);

    /// <summary>The path of the first string or name that cannot be decoded (<c>/</c> for the root object), or null.</summary>
    private static string? FirstUnreadable(JsonNode? node, string? path)
    {
        try
        {
            switch (node)
            {
                case JsonObject json:
                    // Enumerating decodes every name of the object.
                    foreach (var (name, value) in json)
                    {
                        if (FirstUnreadable(value, path is null ? name : $"{path}/{name}") is { } inner)
                        {
                            return inner;
                        }
                    }

                    return null;
                case JsonArray array:
                    for (int i = 0; i < array.Count; i++)
                    {
                        if (FirstUnreadable(array[i], $"{path}/{i}") is { } inner)
                        {
                            return inner;
                        }
                    }

                    return null;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    _ = value.GetValue<string>();
                    return null;
                default:
                    return null;
            }
        }
        catch (InvalidOperationException)
        {
            return path ?? "/";
        }
    }
}

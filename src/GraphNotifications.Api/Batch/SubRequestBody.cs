using System.Text;
using Microsoft.Net.Http.Headers;

namespace GraphNotifications.Api.Batch;

/// <summary>
/// The bytes of a sub-request's body. As in Graph's batches, a body needs a <c>Content-Type</c> header; a JSON
/// media type takes the JSON value as it is, any other takes a string value as its text.
/// </summary>
public static class SubRequestBody
{
    public static byte[]? Encode(BatchRequestItem request, out string? problem)
    {
        problem = null;
        if (request.Body is not { } body)
        {
            return [];
        }

        string? contentType = request.Headers.LastOrDefault(h => h.Key.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase)).Value;
        if (contentType is null)
        {
            problem = $"Request '{request.Id}' has a body but no Content-Type header; add \"Content-Type\": \"application/json\" to its headers.";
            return null;
        }

        if (IsJson(contentType))
        {
            return Encoding.UTF8.GetBytes(body.GetRawText());
        }

        if (body.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            return Encoding.UTF8.GetBytes(body.GetString()!);
        }

        problem = $"Request '{request.Id}' sends a JSON body with the Content-Type '{contentType}'; use a JSON media type, or a string body.";
        return null;
    }

    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);
}

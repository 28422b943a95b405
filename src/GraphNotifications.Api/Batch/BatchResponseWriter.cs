using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GraphNotifications.Api.Batch;

/// <summary>
/// Writes <c>{"responses": [{"id", "status", "headers", "body"}]}</c>, in the order of the requests. A JSON body is
/// a JSON value, not a string holding JSON; a text body (<c>$count</c>, <c>$metadata</c> as XML) is a string, and
/// anything else base64, as Graph writes binary bodies.
/// </summary>
internal static class BatchResponseWriter
{
    // As GraphErrorWriter: readable quotes and markup in the JSON (served with nosniff, never as HTML).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, IReadOnlyList<BatchRequestItem> requests, IReadOnlyDictionary<string, BatchResponseItem> responses)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body, WriterOptions);
        json.WriteStartObject();
        json.WriteStartArray("responses");
        foreach (var request in requests)
        {
            var response = responses[request.Id];
            json.WriteStartObject();
            json.WriteString("id", response.Id);
            json.WriteNumber("status", response.Status);
            json.WriteStartObject("headers");
            foreach (var (name, value) in response.Headers)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            if (response.Body.Length > 0)
            {
                json.WritePropertyName("body");
                WriteBody(json, response);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static void WriteBody(Utf8JsonWriter json, BatchResponseItem response)
    {
        if (SubRequestBody.IsJson(response.ContentType))
        {
            try
            {
                using var document = JsonDocument.Parse(response.Body);
                document.WriteTo(json);
                return;
            }
            catch (JsonException)
            {
                // Not the JSON its Content-Type claims: pass it on as text.
            }
        }

        if (IsText(response.ContentType))
        {
            json.WriteStringValue(Encoding.UTF8.GetString(response.Body));
        }
        else
        {
            json.WriteBase64StringValue(response.Body);
        }
    }

    private static bool IsText(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("xml", StringComparison.OrdinalIgnoreCase));
}

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GraphNotifications.Api.Batch;

/// <summary>
/// Writes <c>{"responses": [{"id", "atomicityGroup"?, "status", "headers", "body"}]}</c>, in the order of the
/// requests. The body follows OData JSON Format 4.01 §19: a JSON media type's body is a JSON value, not a string
/// holding JSON; a <c>text/*</c> body (<c>$count</c>) is a string; any other (<c>$metadata</c> as XML) is base64,
/// which a client reading the body as text would garble.
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
            // §19.2: a response echoes its request's group, so a client can tell which answers stand or fall together.
            if (request.AtomicityGroup is not null)
            {
                json.WriteString("atomicityGroup", request.AtomicityGroup);
            }

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
                // Not the JSON its Content-Type claims: pass it on as bytes.
            }
        }

        if (IsText(response.ContentType))
        {
            json.WriteStringValue(Encoding.UTF8.GetString(response.Body));
        }
        else
        {
            // §19 names base64url; Graph writes standard base64 (with padding). Standard base64 is what both read:
            // Graph clients decode it as such, and Microsoft.OData.Core maps '-' and '_' before a standard decode.
            json.WriteBase64StringValue(response.Body);
        }
    }

    // Only the top-level type text: application/xml is text to a person, but to a batch reader it is binary.
    private static bool IsText(string? contentType) =>
        contentType is not null && contentType.TrimStart().StartsWith("text/", StringComparison.OrdinalIgnoreCase);
}

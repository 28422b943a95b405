using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using GraphNotifications.Api.Protocol;
using GraphNotifications.Api.Telemetry;

namespace GraphNotifications.Api.Errors;

/// <summary>The one place that writes an error body. Every error response of the service goes through here.</summary>
public static class GraphErrorWriter
{
    public const string ContentType = "application/json; charset=utf-8";

    // Messages quote the client's input; keep them readable (the body is JSON served with nosniff, never HTML).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, GraphError error)
    {
        context.RequestServices?.GetService<GraphMetrics>()?.Rejected(error);
        var response = context.Response;
        response.StatusCode = error.StatusCode;
        response.ContentType = ContentType;
        response.Headers.ContentLength = null;

        await using var json = new Utf8JsonWriter(response.Body, WriterOptions);
        Write(json, context, error);
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary>The error's body as JSON text on one line: the data of a live stream's error event.</summary>
    public static string ToJson(HttpContext context, GraphError error)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(json, context, error);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter json, HttpContext context, GraphError error)
    {
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("code", error.Code);
        json.WriteString("message", error.Message);
        if (error.Details is { Count: > 0 })
        {
            json.WriteStartArray("details");
            foreach (var detail in error.Details)
            {
                json.WriteStartObject();
                json.WriteString("code", detail.Code);
                json.WriteString("message", detail.Message);
                if (detail.Target is not null)
                {
                    json.WriteString("target", detail.Target);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteStartObject("innerError");
        json.WriteString("request-id", RequestIds.RequestId(context));
        json.WriteString("client-request-id", RequestIds.ClientRequestId(context));
        json.WriteString("date", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

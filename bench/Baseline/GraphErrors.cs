using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GraphNotifications.Bench.Baseline;

/// <summary>Graph's error body, <c>{"error": {"code", "message", "details"?, "innerError"}}</c>, as the service writes it.</summary>
public static class GraphErrors
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task BadRequest(HttpContext context, string message, IReadOnlyList<Problem>? details = null) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, "badRequest", message, details);

    public static Task NotFound(HttpContext context, string id) =>
        WriteAsync(context, StatusCodes.Status404NotFound, "notFound", $"No notification with id '{id}' exists in this feed, or it is not visible to the caller.");

    public static Task InvalidBody(HttpContext context, IReadOnlyList<Problem> problems) =>
        BadRequest(context, problems.Count == 1 ? problems[0].Message : $"The notification has {problems.Count} problems; see details.", problems);

    public static async Task WriteAsync(HttpContext context, int status, string code, string message, IReadOnlyList<Problem>? details = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(response.Body, WriterOptions);
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("code", code);
        json.WriteString("message", message);
        if (details is { Count: > 0 })
        {
            json.WriteStartArray("details");
            foreach (var detail in details)
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
        json.WriteString("date", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}

using System.Text.Json;
using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Protocol;

/// <summary>The body of <c>POST …/$ref</c>: <c>{"@odata.id": "&lt;URL of the entity to link&gt;"}</c>.</summary>
public static class ReferenceBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    public static async Task<(string? Reference, GraphError? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (null, GraphError.UnsupportedMediaType);
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, Options, cancellationToken);
        }
        catch (JsonException ex)
        {
            return (null, GraphError.BadRequest($"The request body is not valid JSON: {ex.Message}"));
        }

        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("@odata.id", out var id)
                && id.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(id.GetString()))
            {
                return (id.GetString(), null);
            }
        }

        return (null, GraphError.BadRequest(
            "A $ref body links an existing notification: {\"@odata.id\": \"<its URL>\"}, and this body has no '@odata.id'. " +
            "To create a notification, POST it to …/notifications (without /$ref)."));
    }

    public static GraphError NotANotification(string reference, string target) => GraphError.BadRequest(
        $"'{Shorten(reference)}' is not the URL of a notification of this service, such as …/notifications('{{id}}').",
        [new GraphErrorDetail(GraphErrorCodes.InvalidValue, "Expected the absolute or service-relative URL of a notification.", target)]);

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..197] + "...";
}

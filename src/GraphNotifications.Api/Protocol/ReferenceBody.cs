using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Protocol;

/// <summary>The body of <c>POST …/$ref</c>: <c>{"@odata.id": "&lt;URL of the entity to link&gt;"}</c>.</summary>
public static class ReferenceBody
{
    public static async Task<(string? Reference, GraphError? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (JsonBody.Unsupported(request) is { } unsupported)
        {
            return (null, unsupported);
        }

        var (node, error) = await JsonBody.ReadAsync(request, "a reference to a notification, {\"@odata.id\": \"<its URL>\"}", cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        if (node is JsonObject json
            && json.TryGetPropertyValue("@odata.id", out var id)
            && id is JsonValue value
            && value.GetValueKind() == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(value.GetValue<string>()))
        {
            return (value.GetValue<string>(), null);
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

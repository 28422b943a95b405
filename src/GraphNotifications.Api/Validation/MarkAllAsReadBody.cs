using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Protocol;

namespace GraphNotifications.Api.Validation;

/// <summary>
/// The parameters of <c>markAllAsRead</c>: none, or a JSON object with the optional <c>throughDateTime</c>
/// (OData's body of an action call, its parameters as properties). No body at all is the same as <c>{}</c>.
/// </summary>
public static class MarkAllAsReadBody
{
    public const string ThroughDateTime = "throughDateTime";

    /// <summary>The cut-off the body asks for (null: the time of the call), or the error that says what is wrong.</summary>
    public static async Task<(DateTimeOffset? Through, GraphError? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && request.ContentType is null && !request.Headers.TransferEncoding.Any()))
        {
            return (null, null);
        }

        if (JsonBody.Unsupported(request) is { } unsupported)
        {
            return (null, unsupported);
        }

        var (node, error) = await JsonBody.ReadAsync(request, "markAllAsRead's parameters as a JSON object: {} or {\"throughDateTime\": \"…\"}", cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        if (node is not JsonObject body)
        {
            return (null, GraphError.BadRequest("The body of markAllAsRead is a JSON object: {} or {\"throughDateTime\": \"…\"}."));
        }

        var problems = new List<GraphErrorDetail>();
        DateTimeOffset? through = null;
        foreach (var (name, value) in body)
        {
            if (name != ThroughDateTime)
            {
                problems.Add(new(GraphErrorCodes.InvalidValue, $"markAllAsRead has no parameter '{name}'; its one parameter is optional: '{ThroughDateTime}'.", name));
            }
            else if (value is null)
            {
                // Null is the parameter's absence: the time of the call.
            }
            else if (value.GetValueKind() == JsonValueKind.String && ODataDateTime.TryParse(value.GetValue<string>(), out var parsed))
            {
                through = parsed.ToUniversalTime();
            }
            else
            {
                problems.Add(new(GraphErrorCodes.InvalidValue,
                    $"'{ThroughDateTime}' must be an Edm.DateTimeOffset such as 2026-12-07T10:00:00Z.", ThroughDateTime));
            }
        }

        return problems.Count > 0 ? (null, GraphError.InvalidBody(problems)) : (through, null);
    }
}

using System.Text.Json;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Protocol;

namespace GraphNotifications.Api.Batch;

/// <summary>
/// Reads the batch body, <c>{"requests": [{"id", "method", "url", "headers"?, "body"?, "dependsOn"?,
/// "atomicityGroup"?}]}</c>, and refuses the whole batch (400) when it is malformed: nothing of it runs then.
/// Whether the dependencies form an order is <see cref="BatchPlan"/>'s to say.
/// </summary>
public static class BatchRequestReader
{
    /// <summary>Graph's limit on the requests of one batch.</summary>
    public const int MaxRequests = 20;

    public static async Task<(IReadOnlyList<BatchRequestItem>? Requests, GraphError? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (document, notJson) = await JsonBody.ParseAsync(request, "a batch, {\"requests\": [{\"id\", \"method\", \"url\", …}]}",
            body => JsonDocument.ParseAsync(body, cancellationToken: cancellationToken));
        if (document is null)
        {
            return (null, notJson);
        }

        using (document)
        {
            try
            {
                return (Read(document.RootElement), null);
            }
            catch (BatchFormatException ex)
            {
                return (null, Malformed(ex.Message));
            }
        }
    }

    private static List<BatchRequestItem> Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array)
        {
            throw new BatchFormatException("The batch body must be a JSON object with a 'requests' array.");
        }

        int count = requests.GetArrayLength();
        if (count is 0 or > MaxRequests)
        {
            throw new BatchFormatException($"A batch holds from 1 to {MaxRequests} requests; this one holds {count}.");
        }

        var items = new List<BatchRequestItem>(count);
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var element in requests.EnumerateArray())
        {
            var item = ReadRequest(element, items.Count);
            if (!ids.Add(item.Id))
            {
                throw new BatchFormatException($"The request id '{item.Id}' is used more than once; ids are unique, ignoring case.");
            }

            items.Add(item);
        }

        return items;
    }

    private static BatchRequestItem ReadRequest(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new BatchFormatException($"requests[{index}] must be a JSON object.");
        }

        string id = RequiredString(element, "id", index);
        if (element.TryGetProperty("if", out _))
        {
            throw new BatchFormatException($"Request '{id}': 'if' is not supported; use dependsOn.");
        }

        string method = RequiredString(element, "method", index);
        if (method.Length > 16 || !method.All(char.IsAsciiLetter))
        {
            throw new BatchFormatException($"Request '{id}': '{method}' is not an HTTP method.");
        }

        string url = RequiredString(element, "url", index);
        JsonElement? body = element.TryGetProperty("body", out var b) && b.ValueKind != JsonValueKind.Null ? b.Clone() : null;
        return new BatchRequestItem(index, id, method.ToUpperInvariant(), url, Headers(element, id), body, DependsOn(element, id),
            OptionalString(element, "atomicityGroup", id));
    }

    private static List<KeyValuePair<string, string>> Headers(JsonElement element, string id)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (!element.TryGetProperty("headers", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return headers;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new BatchFormatException($"Request '{id}': 'headers' must be a JSON object of header names and string values.");
        }

        foreach (var header in value.EnumerateObject())
        {
            if (header.Value.ValueKind != JsonValueKind.String)
            {
                throw new BatchFormatException($"Request '{id}': the header '{header.Name}' must have a string value.");
            }

            headers.Add(new(header.Name, header.Value.GetString()!));
        }

        return headers;
    }

    private static List<string> DependsOn(JsonElement element, string id)
    {
        if (!element.TryGetProperty("dependsOn", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.String || d.GetString()!.Length == 0))
        {
            throw new BatchFormatException($"Request '{id}': 'dependsOn' must be an array of request ids.");
        }

        return value.EnumerateArray().Select(d => d.GetString()!).ToList();
    }

    private static string RequiredString(JsonElement element, string name, int index)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            string who = element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? $"Request '{id.GetString()}'" : $"requests[{index}]";
            throw new BatchFormatException($"{who} has no '{name}': each request needs a string id, method and url.");
        }

        return value.GetString()!;
    }

    private static string? OptionalString(JsonElement element, string name, string id)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0
            ? value.GetString()
            : throw new BatchFormatException($"Request '{id}': '{name}' must be a non-empty string.");
    }

    private static GraphError Malformed(string message) => GraphError.BadRequest(message);

    private sealed class BatchFormatException(string message) : Exception(message);
}

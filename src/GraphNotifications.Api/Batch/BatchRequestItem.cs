using System.Text.Json;

namespace GraphNotifications.Api.Batch;

/// <summary>One request of a JSON batch, as the client sent it (OData JSON Format 4.01, §19.1; Graph's batching).</summary>
/// <param name="Index">Its position in <c>requests</c>: answers keep the order of the requests.</param>
/// <param name="Body">The body as a JSON value; a string is sent as text unless the Content-Type is JSON.</param>
public sealed record BatchRequestItem(
    int Index,
    string Id,
    string Method,
    string Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    JsonElement? Body,
    IReadOnlyList<string> DependsOn,
    string? AtomicityGroup);

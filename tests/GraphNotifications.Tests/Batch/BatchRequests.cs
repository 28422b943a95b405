using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Batch;

/// <summary>Builds JSON batches and reads their answers.</summary>
public static class BatchRequests
{
    /// <summary>One request of a batch; a body goes with <c>Content-Type: application/json</c>.</summary>
    public static JsonObject Request(string id, string method, string url, JsonNode? body = null, string[]? dependsOn = null,
        string? atomicityGroup = null, JsonObject? headers = null)
    {
        var request = new JsonObject { ["id"] = id, ["method"] = method, ["url"] = url };
        headers ??= [];
        if (body is not null)
        {
            headers["Content-Type"] ??= "application/json";
            request["body"] = body;
        }

        if (headers.Count > 0)
        {
            request["headers"] = headers;
        }

        if (dependsOn is not null)
        {
            request["dependsOn"] = new JsonArray(dependsOn.Select(d => (JsonNode)d!).ToArray());
        }

        if (atomicityGroup is not null)
        {
            request["atomicityGroup"] = atomicityGroup;
        }

        return request;
    }

    public static Task<HttpResponseMessage> PostBatchAsync(this HttpClient client, params JsonObject[] requests) =>
        client.PostAsync("$batch", new JsonObject { ["requests"] = new JsonArray(requests) });

    /// <summary>Sends a batch that must be answered 200; its responses by id.</summary>
    public static async Task<Dictionary<string, JsonObject>> BatchAsync(this HttpClient client, params JsonObject[] requests)
    {
        var response = await client.PostBatchAsync(requests);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"$batch: {(int)response.StatusCode} {text}");
        var responses = JsonNode.Parse(text)!["responses"]!.AsArray();
        Assert.Equal(requests.Select(r => r["id"]!.GetValue<string>()), responses.Select(r => r!["id"]!.GetValue<string>()));
        return responses.ToDictionary(r => r!["id"]!.GetValue<string>(), r => r!.AsObject());
    }

    public static int Status(this JsonObject response) => response["status"]!.GetValue<int>();

    public static string? Header(this JsonObject response, string name) =>
        response["headers"]!.AsObject().FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();

    public static JsonNode Body(this JsonObject response) => response["body"]!;

    /// <summary>The number of notifications in a collection as the service answers it.</summary>
    public static async Task<int> CountAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["value"]!.AsArray().Count;
    }
}

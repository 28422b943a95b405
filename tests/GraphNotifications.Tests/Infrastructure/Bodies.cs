using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>Request bodies and response reading shared by the tests.</summary>
public static class Bodies
{
    /// <summary>The example of Graph's "Add notifications" page, exactly as written there.</summary>
    public const string SeedExample = """
        {
          "@odata.type": "#microsoft.graph.notification",
          "targetHostName": "Target Host Name value",
          "expirationDateTime": "2017-01-01T00:01:09.280378+03:00",
          "payload": {
            "@odata.type": "microsoft.graph.payloadTypes",
            "rawContent": "Raw Content value",
            "visualContent": {
              "@odata.type": "microsoft.graph.visualProperties",
              "title": "Title value",
              "body": "Body value"
            }
          },
          "displayTimeToLive": 1,
          "priority": "String",
          "groupName": "Group Name value",
          "targetPolicy": {
            "@odata.type": "microsoft.graph.targetPolicyEndpoints",
            "platformTypes": [
              "Platform Types value"
            ]
          }
        }
        """;

    /// <summary>The seed's example with its two flaws mended: a member of priority, and an expiry ahead.</summary>
    public static JsonObject CorrectedSeed(DateTimeOffset? expires = null)
    {
        var body = JsonNode.Parse(SeedExample)!.AsObject();
        body["priority"] = "High";
        body["expirationDateTime"] = (expires ?? DateTimeOffset.UtcNow.AddDays(7)).ToString("O");
        return body;
    }

    /// <summary>The smallest valid notification.</summary>
    public static JsonObject Minimal(string title = "Hello") => new()
    {
        ["targetHostName"] = "contoso.example",
        ["payload"] = new JsonObject { ["visualContent"] = new JsonObject { ["title"] = title } },
    };

    public static StringContent Json(JsonNode body) => Json(body.ToJsonString());

    public static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task<HttpResponseMessage> PostAsync(this HttpClient client, string url, JsonNode body) =>
        await client.PostAsync(url, Json(body));

    /// <summary>Creates a notification and returns its id, failing the test unless the service answers 201.</summary>
    public static async Task<string> CreateAsync(this HttpClient client, string url, JsonNode? body = null)
    {
        var response = await client.PostAsync(url, body ?? Minimal());
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"POST {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    /// <summary>PATCH with optional <c>Prefer</c> and <c>If-Match</c> headers.</summary>
    public static Task<HttpResponseMessage> PatchAsync(this HttpClient client, string url, JsonNode body, string? prefer = null, string? ifMatch = null) =>
        client.SendAsync(Request(HttpMethod.Patch, url, Json(body), prefer: prefer, ifMatch: ifMatch));

    /// <summary>DELETE with an optional <c>If-Match</c> header.</summary>
    public static Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string url, string? ifMatch) =>
        client.SendAsync(Request(HttpMethod.Delete, url, ifMatch: ifMatch));

    /// <summary>GET with an optional <c>If-None-Match</c> header.</summary>
    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string url, string? ifNoneMatch) =>
        client.SendAsync(Request(HttpMethod.Get, url, ifNoneMatch: ifNoneMatch));

    /// <summary>A <c>$ref</c> body that names one notification by its canonical URL, relative to the service root.</summary>
    public static JsonObject Reference(string notificationId) => ReferenceTo($"notifications('{notificationId}')");

    /// <summary>A <c>$ref</c> body whose <c>@odata.id</c> is <paramref name="url"/>, as it is.</summary>
    public static JsonObject ReferenceTo(string url) => new() { ["@odata.id"] = url };

    /// <summary>The ids of one page of notifications, in the page's order; fails the test unless the service answers 200.</summary>
    public static async Task<string[]> IdsAsync(this HttpClient client, string url) =>
        [.. (await client.ReadNotificationAsync(url))["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>())];

    /// <summary>Reads one notification and fails the test unless the service answers 200.</summary>
    public static async Task<JsonObject> ReadNotificationAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, HttpContent? content = null,
        string? prefer = null, string? ifMatch = null, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return request;
    }

    public static string[] ErrorTargets(this JsonObject error) =>
        error["error"]!["details"]?.AsArray().Select(d => d!["target"]!.GetValue<string>()).Order().ToArray() ?? [];

    public static string ErrorCode(this JsonObject error) => error["error"]!["code"]!.GetValue<string>();

    public static string ErrorMessage(this JsonObject error) => error["error"]!["message"]!.GetValue<string>();

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}

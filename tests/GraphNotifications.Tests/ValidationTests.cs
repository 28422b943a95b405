using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>Graph's rules for a notification: each failure a 400 that names its property and changes nothing.</summary>
public sealed class ValidationTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    private const string Feed = "me/notifications";

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        // A change to the minimal valid body, as "path=json" (or "-path" to remove), the problem's target and code.
        { "-targetHostName", "targetHostName", "missingProperty" },
        { "targetHostName=\"  \"", "targetHostName", "invalidValue" },
        { "targetHostName=null", "targetHostName", "invalidValue" },
        { "targetHostName=42", "targetHostName", "invalidValue" },
        { "-payload", "payload", "missingProperty" },
        { "payload=null", "payload", "invalidValue" },
        { "payload={}", "payload", "missingProperty" },
        { "payload=\"text\"", "payload", "invalidValue" },
        { "payload/visualContent={\"body\":\"no title\"}", "payload/visualContent/title", "missingProperty" },
        { "payload/unknown=1", "payload/unknown", "unknownProperty" },
        { "payload/visualContent/Title=\"x\"", "payload/visualContent/Title", "unknownProperty" },
        { "priority=\"String\"", "priority", "invalidValue" },
        { "priority=\"high\"", "priority", "invalidValue" },
        { "priority=1", "priority", "invalidValue" },
        { "displayTimeToLive=-1", "displayTimeToLive", "invalidValue" },
        { "displayTimeToLive=2147483648", "displayTimeToLive", "invalidValue" },
        { "displayTimeToLive=1.5", "displayTimeToLive", "invalidValue" },
        { "displayTimeToLive=\"60\"", "displayTimeToLive", "invalidValue" },
        { "expirationDateTime=\"2017-01-01T00:01:09.280378+03:00\"", "expirationDateTime", "invalidValue" },
        { "expirationDateTime=\"2099-01-01T00:00:00Z\"", "expirationDateTime", "invalidValue" },
        { "expirationDateTime=\"tomorrow\"", "expirationDateTime", "invalidValue" },
        { "expirationDateTime=\"2030-01-01T00:00:00\"", "expirationDateTime", "invalidValue" },
        { "targetPolicy/platformTypes=\"windows\"", "targetPolicy/platformTypes", "invalidValue" },
        { "targetPolicy/platformTypes=[\"windows\",1]", "targetPolicy/platformTypes/1", "invalidValue" },
        { "targetPolicy/platformTypes=[null]", "targetPolicy/platformTypes/0", "invalidValue" },
        { "TargetHostName=\"x\"", "TargetHostName", "unknownProperty" },
        { "extra={\"nested\":true}", "extra", "invalidValue" },
        { "extra=[1,2]", "extra", "invalidValue" },
        { "bad-name=1", "bad-name", "invalidValue" },
        // A bind (deep insert's link) is refused, not dropped: a 201 would claim a link that was never made.
        { "users@odata.bind=[\"users('someone')\"]", "users@odata.bind", "invalidValue" },
        { "owner@bind=\"users('someone')\"", "owner@bind", "invalidValue" },
        // A dynamic number beyond what a Double holds cannot be kept (or written back) as a number.
        { "huge=1e400", "huge", "invalidValue" },
        { "tiny=-2e308", "tiny", "invalidValue" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_property_is_a_400_naming_it_and_nothing_is_stored(string change, string target, string code)
    {
        string user = "validation-" + Guid.NewGuid().ToString("N");
        var client = service.Delegated(user, "validation-app");
        var body = Apply(Bodies.Minimal(), change);
        body["targetPolicy"] ??= new JsonObject { ["platformTypes"] = new JsonArray("windows") };

        var response = await client.PostAsync(Feed, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal("badRequest", error.ErrorCode());
        var detail = Assert.Single(error["error"]!["details"]!.AsArray());
        Assert.Equal(target, detail!["target"]!.GetValue<string>());
        Assert.Equal(code, detail["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(detail["message"]!.GetValue<string>()));
        Assert.Empty((await (await client.GetAsync(Feed)).ReadObjectAsync())["value"]!.AsArray());
    }

    [Fact]
    public async Task Every_problem_of_a_body_is_reported_at_once()
    {
        var client = service.Delegated("validation-many", "validation-app");
        var body = new JsonObject
        {
            ["targetHostName"] = "",
            ["payload"] = new JsonObject { ["visualContent"] = new JsonObject { ["body"] = "no title" } },
            ["priority"] = "Urgent",
            ["displayTimeToLive"] = -5,
            ["expirationDateTime"] = "2000-01-01T00:00:00Z",
        };

        var response = await client.PostAsync(Feed, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal(
            ["displayTimeToLive", "expirationDateTime", "payload/visualContent/title", "priority", "targetHostName"],
            error.ErrorTargets());
        Assert.Contains("5 problems", error.ErrorMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_raw_notification_needs_no_visual_content()
    {
        var client = service.Delegated("validation-raw", "validation-app");
        var body = new JsonObject { ["targetHostName"] = "contoso.example", ["payload"] = new JsonObject { ["rawContent"] = "{\"k\":1}" } };

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(Feed, body)).StatusCode);
    }

    [Theory]
    [InlineData("[{\"targetHostName\":\"x\"}]", "array")]
    [InlineData("{\"targetHostName\":", "not valid JSON")]
    [InlineData("", "The request body is empty")]
    [InlineData("\"text\"", "JSON object")]
    [InlineData("{\"targetHostName\":\"a\",\"targetHostName\":\"b\",\"payload\":{\"rawContent\":\"r\"}}", "not valid JSON")]
    public async Task A_body_that_is_not_one_JSON_object_is_a_400(string body, string messagePart)
    {
        var client = service.Delegated("validation-shape", "validation-app");

        var response = await client.PostAsync(Feed, Bodies.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(messagePart, (await response.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=nope")]
    public async Task A_body_in_another_charset_than_UTF_8_is_a_415_on_every_write_and_changes_nothing(string contentType)
    {
        string user = "validation-charset-" + Guid.NewGuid().ToString("N");
        var client = service.Delegated(user, "validation-app");
        string id = await client.CreateAsync(Feed, Bodies.Minimal());

        var create = await client.PostAsync(Feed, WithContentType(Bodies.Minimal(), contentType));
        var patch = await client.PatchAsync($"{Feed}/{id}", WithContentType(new JsonObject { ["groupName"] = "changed" }, contentType));
        var link = await client.PostAsync($"{Feed}/$ref", WithContentType(new JsonObject { ["@odata.id"] = $"notifications('{id}')" }, contentType));

        foreach (var response in new[] { create, patch, link })
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            var error = await response.ReadObjectAsync();
            Assert.Equal("unsupportedMediaType", error.ErrorCode());
            Assert.Contains("UTF-8", error.ErrorMessage(), StringComparison.Ordinal);
        }

        var feed = (await (await client.GetAsync(Feed)).ReadObjectAsync())["value"]!.AsArray();
        Assert.Equal(id, Assert.Single(feed)!["id"]!.GetValue<string>());
        Assert.Null(feed[0]!["groupName"]);
    }

    [Theory]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    public async Task A_body_that_names_UTF_8_is_read(string contentType)
    {
        var client = service.Delegated("validation-utf8-" + Guid.NewGuid().ToString("N"), "validation-app");
        var response = await client.PostAsync(Feed, WithContentType(Bodies.Minimal(), contentType));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_415()
    {
        var client = service.Delegated("validation-media", "validation-app");

        var response = await client.PostAsync(Feed, new StringContent("targetHostName=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupportedMediaType", (await response.ReadObjectAsync()).ErrorCode());
    }

    [Fact]
    public async Task A_bind_on_a_patch_is_a_400_that_changes_nothing()
    {
        var client = service.Delegated("validation-bind-patch", "validation-app");
        string id = await client.CreateAsync(Feed);

        var response = await client.PatchAsync($"{Feed}/{id}", new JsonObject
        {
            ["groupName"] = "bound",
            ["users@odata.bind"] = new JsonArray("users('someone')"),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["users@odata.bind"], (await response.ReadObjectAsync()).ErrorTargets());
        Assert.Null((await client.ReadNotificationAsync($"{Feed}/{id}"))["groupName"]);
    }

    /// <summary>The body as UTF-8 JSON text under a Content-Type sent as given (HttpClient would rewrite its charset).</summary>
    private static StringContent WithContentType(JsonObject body, string contentType)
    {
        var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static JsonObject Apply(JsonObject body, string change)
    {
        bool remove = change.StartsWith('-');
        string[] parts = (remove ? change[1..] : change).Split('=', 2);
        string[] path = parts[0].Split('/');
        JsonObject parent = body;
        foreach (string step in path[..^1])
        {
            parent = (parent[step] ??= new JsonObject()).AsObject();
        }

        if (remove)
        {
            parent.Remove(path[^1]);
        }
        else
        {
            parent[path[^1]] = JsonNode.Parse(parts[1]);
        }

        return body;
    }
}

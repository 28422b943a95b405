using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>
/// PATCH of a notification (AspNetCoreOData's <c>Delta&lt;T&gt;</c>): only what is sent changes, complex values are
/// merged, and the result must still be a valid notification.
/// </summary>
public sealed class UpdatingTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    private const string Representation = "return=representation";

    [Fact]
    public async Task A_patch_changes_only_the_properties_sent_and_answers_204_with_the_new_ETag()
    {
        var client = service.Delegated("update-user-1", "update-app");
        string id = await client.CreateAsync("me/notifications", Bodies.CorrectedSeed());
        var before = await client.ReadNotificationAsync($"me/notifications/{id}");

        var response = await client.PatchAsync($"me/notifications/{id}", new JsonObject { ["groupName"] = "renamed" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("W/\"2.1\"", response.Headers.ETag?.ToString());
        var after = await client.ReadNotificationAsync($"me/notifications/{id}");
        Assert.Equal("renamed", after["groupName"]!.GetValue<string>());
        after["groupName"] = before["groupName"]!.DeepClone();
        after["@odata.etag"] = before["@odata.etag"]!.DeepClone();
        Assert.True(JsonNode.DeepEquals(before, after), $"before: {before}\nafter: {after}");
    }

    [Fact]
    public async Task Prefer_return_representation_answers_200_with_the_notification()
    {
        var client = service.Delegated("update-user-2", "update-app");
        string id = await client.CreateAsync("me/notifications");

        var response = await client.PatchAsync($"me/notifications/{id}", new JsonObject { ["priority"] = "Low" }, prefer: Representation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Representation, Assert.Single(response.Headers.GetValues("Preference-Applied")));
        var body = await response.ReadObjectAsync();
        Assert.Equal("http://localhost/v1.0/$metadata#notifications/$entity", body["@odata.context"]!.GetValue<string>());
        Assert.Equal("#microsoft.graph.notification", body["@odata.type"]!.GetValue<string>());
        Assert.Equal(id, body["id"]!.GetValue<string>());
        Assert.Equal("Low", body["priority"]!.GetValue<string>());
        Assert.Equal("Hello", body["payload"]!["visualContent"]!["title"]!.GetValue<string>());
        Assert.Equal(response.Headers.ETag?.ToString(), body["@odata.etag"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("odata.maxpagesize=10")]
    [InlineData("return=nothing-known")]
    public async Task Other_preferences_answer_204(string prefer)
    {
        var client = service.Delegated("update-user-3", "update-app");
        string id = await client.CreateAsync("me/notifications");

        var response = await client.PatchAsync($"me/notifications/{id}", new JsonObject { ["groupName"] = "g" }, prefer: prefer);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(response.Headers.Contains("Preference-Applied"));
    }

    [Fact]
    public async Task Return_representation_is_found_among_several_preferences()
    {
        var client = service.Delegated("update-user-3b", "update-app");
        string id = await client.CreateAsync("me/notifications");

        var response = await client.PatchAsync($"me/notifications/{id}", new JsonObject { ["groupName"] = "g" }, prefer: "odata.maxpagesize=10, Return=Representation");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("me/notifications/{0}", true)]
    [InlineData("me/notifications('{0}')", true)]
    [InlineData("users/update-paths/notifications/{0}", true)]
    [InlineData("users('update-paths')/notifications('{0}')", true)]
    [InlineData("/beta/me/notifications/{0}", true)]
    [InlineData("users/update-paths/notifications/{0}", false)]
    [InlineData("notifications/{0}", false)]
    [InlineData("notifications('{0}')", false)]
    [InlineData("/beta/notifications/{0}", false)]
    public async Task Every_path_to_a_notification_patches_it(string template, bool delegated)
    {
        var app = service.AppOnly("update-paths-app");
        string id = await app.CreateAsync("users/update-paths/notifications");
        var client = delegated ? service.Delegated("update-paths", "update-paths-app") : app;

        var response = await client.PatchAsync(string.Format(CultureInfo.InvariantCulture, template, id), new JsonObject { ["groupName"] = template });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(template, (await app.ReadNotificationAsync($"notifications/{id}"))["groupName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_complex_value_is_merged_into_the_stored_one()
    {
        var client = service.Delegated("update-merge", "update-app");
        string id = await client.CreateAsync("me/notifications", Bodies.CorrectedSeed());

        var raw = await client.PatchAsync($"me/notifications/{id}", JsonNode.Parse("""{"payload": {"rawContent": "new raw"}}""")!, Representation);
        var visual = await client.PatchAsync($"me/notifications/{id}", JsonNode.Parse("""{"payload": {"visualContent": {"body": "new body"}}}""")!, Representation);

        var afterRaw = (await raw.ReadObjectAsync())["payload"]!;
        Assert.Equal("new raw", afterRaw["rawContent"]!.GetValue<string>());
        Assert.Equal("Title value", afterRaw["visualContent"]!["title"]!.GetValue<string>());
        Assert.Equal("Body value", afterRaw["visualContent"]!["body"]!.GetValue<string>());
        var afterVisual = (await client.ReadNotificationAsync($"me/notifications/{id}"))["payload"]!;
        Assert.Equal(HttpStatusCode.OK, visual.StatusCode);
        Assert.Equal("new raw", afterVisual["rawContent"]!.GetValue<string>());
        Assert.Equal("Title value", afterVisual["visualContent"]!["title"]!.GetValue<string>());
        Assert.Equal("new body", afterVisual["visualContent"]!["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task Null_removes_a_complex_value_and_a_collection_is_replaced_whole()
    {
        var client = service.Delegated("update-null", "update-app");
        string id = await client.CreateAsync("me/notifications", Bodies.CorrectedSeed());

        var platforms = await client.PatchAsync($"me/notifications/{id}", JsonNode.Parse("""{"targetPolicy": {"platformTypes": ["windows", "ios"]}}""")!);
        var noVisual = await client.PatchAsync($"me/notifications/{id}", JsonNode.Parse("""{"payload": {"visualContent": null}}""")!);
        var read = await client.ReadNotificationAsync($"me/notifications/{id}");
        var noPolicy = await client.PatchAsync($"me/notifications/{id}", JsonNode.Parse("""{"targetPolicy": null}""")!, Representation);

        Assert.Equal(HttpStatusCode.NoContent, platforms.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, noVisual.StatusCode);
        Assert.Equal(["windows", "ios"], read["targetPolicy"]!["platformTypes"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Null(read["payload"]!["visualContent"]);
        Assert.Equal("Raw Content value", read["payload"]!["rawContent"]!.GetValue<string>());
        Assert.Null((await noPolicy.ReadObjectAsync())["targetPolicy"]);
    }

    [Fact]
    public async Task A_visual_content_added_where_there_was_none_needs_its_title()
    {
        var client = service.Delegated("update-add-visual", "update-app");
        var body = new JsonObject { ["targetHostName"] = "contoso.example", ["payload"] = new JsonObject { ["rawContent"] = "r" } };
        string id = await client.CreateAsync("me/notifications", body);

        var untitled = await client.PatchAsync($"me/notifications/{id}", JsonNode.Parse("""{"payload": {"visualContent": {"body": "b"}}}""")!);
        var titled = await client.PatchAsync($"me/notifications/{id}", JsonNode.Parse("""{"payload": {"visualContent": {"title": "t"}}}""")!, Representation);

        Assert.Equal(HttpStatusCode.BadRequest, untitled.StatusCode);
        Assert.Equal(["payload/visualContent/title"], (await untitled.ReadObjectAsync()).ErrorTargets());
        var payload = (await titled.ReadObjectAsync())["payload"]!;
        Assert.Equal("r", payload["rawContent"]!.GetValue<string>());
        Assert.Equal("t", payload["visualContent"]!["title"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> InvalidPatches => new()
    {
        // A PATCH body, the problem's target and code. The stored notification is Bodies.Minimal(): a visual payload.
        { """{"payload": {"visualContent": null}}""", "payload", "missingProperty" },
        { """{"payload": {"visualContent": {"title": " "}}}""", "payload/visualContent/title", "missingProperty" },
        { """{"payload": {"visualContent": {"title": null}}}""", "payload/visualContent/title", "missingProperty" },
        { """{"payload": null}""", "payload", "invalidValue" },
        { """{"payload": "text"}""", "payload", "invalidValue" },
        { """{"payload": {"unknown": 1}}""", "payload/unknown", "unknownProperty" },
        { """{"targetHostName": ""}""", "targetHostName", "invalidValue" },
        { """{"targetHostName": null}""", "targetHostName", "invalidValue" },
        { """{"expirationDateTime": "2017-01-01T00:00:00Z"}""", "expirationDateTime", "invalidValue" },
        { """{"expirationDateTime": "2099-01-01T00:00:00Z"}""", "expirationDateTime", "invalidValue" },
        { """{"expirationDateTime": "soon"}""", "expirationDateTime", "invalidValue" },
        { """{"priority": "Urgent"}""", "priority", "invalidValue" },
        { """{"displayTimeToLive": -1}""", "displayTimeToLive", "invalidValue" },
        { """{"targetPolicy": {"platformTypes": [null]}}""", "targetPolicy/platformTypes/0", "invalidValue" },
        { """{"id": "another-id"}""", "id", "readOnlyProperty" },
        { """{"TargetHostName": "x"}""", "TargetHostName", "unknownProperty" },
        { """{"extra": {"nested": true}}""", "extra", "invalidValue" },
        { """{"Version": 7}""", "Version", "invalidValue" },
        { """{"CreatedAt": 0}""", "CreatedAt", "invalidValue" },
        { """{"@odata.type": "#microsoft.graph.user"}""", "@odata.type", "invalidType" },
        { """{"payload": {"@odata.type": "graph.visualProperties", "rawContent": "r"}}""", "payload/@odata.type", "invalidType" },
    };

    [Theory]
    [MemberData(nameof(InvalidPatches))]
    public async Task An_invalid_patch_is_a_400_naming_the_problem_and_changes_nothing(string patch, string target, string code)
    {
        var client = service.Delegated("update-invalid", "update-app");
        string id = await client.CreateAsync("me/notifications");
        var before = await client.ReadNotificationAsync($"me/notifications/{id}");

        var response = await client.PatchAsync($"me/notifications/{id}", JsonNode.Parse(patch)!);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal("badRequest", error.ErrorCode());
        var detail = Assert.Single(error["error"]!["details"]!.AsArray());
        Assert.Equal(target, detail!["target"]!.GetValue<string>());
        Assert.Equal(code, detail["code"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(before, await client.ReadNotificationAsync($"me/notifications/{id}")));
    }

    [Fact]
    public async Task Every_problem_a_patch_body_has_on_its_own_is_reported_at_once()
    {
        var client = service.Delegated("update-many", "update-app");
        string id = await client.CreateAsync("me/notifications");
        var patch = new JsonObject
        {
            ["targetHostName"] = "",
            ["priority"] = "Urgent",
            ["displayTimeToLive"] = -5,
            ["expirationDateTime"] = "2000-01-01T00:00:00Z",
            ["payload"] = new JsonObject { ["visualContent"] = new JsonObject { ["title"] = 5 } },
            ["id"] = "x",
        };

        var response = await client.PatchAsync($"me/notifications/{id}", patch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal(
            ["displayTimeToLive", "expirationDateTime", "id", "payload/visualContent/title", "priority", "targetHostName"],
            error.ErrorTargets());
        Assert.Contains("6 problems", error.ErrorMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_id_may_be_repeated_as_it_is_or_sent_as_null()
    {
        var client = service.Delegated("update-id", "update-app");
        string id = await client.CreateAsync("me/notifications");
        var read = await client.ReadNotificationAsync($"me/notifications/{id}");
        read["groupName"] = "round trip";

        var same = await client.PatchAsync($"me/notifications/{id}", read);
        var nullId = await client.PatchAsync($"me/notifications('{id}')", new JsonObject { ["id"] = null, ["groupName"] = "null id" });

        Assert.Equal(HttpStatusCode.NoContent, same.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, nullId.StatusCode);
        Assert.Equal("null id", (await client.ReadNotificationAsync($"me/notifications/{id}"))["groupName"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("#microsoft.graph.notification", "#microsoft.graph.payloadTypes")]
    [InlineData("microsoft.graph.notification", "microsoft.graph.payloadTypes")]
    [InlineData("graph.notification", "graph.payloadTypes")]
    [InlineData("#graph.notification", "#graph.payloadTypes")]
    public async Task The_type_annotation_is_honored_with_or_without_hash_and_by_alias(string entityType, string payloadType)
    {
        var client = service.Delegated("update-types", "update-app");
        string id = await client.CreateAsync("me/notifications");
        var patch = new JsonObject
        {
            ["@odata.type"] = entityType,
            ["payload"] = new JsonObject { ["@odata.type"] = payloadType, ["rawContent"] = "typed" },
        };

        var response = await client.PatchAsync($"me/notifications/{id}", patch, Representation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payload = (await response.ReadObjectAsync())["payload"]!;
        Assert.Equal("typed", payload["rawContent"]!.GetValue<string>());
        Assert.Equal("Hello", payload["visualContent"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dynamic_properties_are_added_changed_and_removed_by_null()
    {
        var client = service.Delegated("update-dynamic", "update-app");
        var body = Bodies.Minimal();
        body["appNotificationId"] = "order-1";
        body["keep"] = true;
        body["drop"] = 3;
        string id = await client.CreateAsync("me/notifications", body);

        var response = await client.PatchAsync($"me/notifications/{id}",
            new JsonObject { ["appNotificationId"] = "order-2", ["added"] = "new", ["drop"] = null }, Representation);

        var read = await response.ReadObjectAsync();
        Assert.Equal("order-2", read["appNotificationId"]!.GetValue<string>());
        Assert.Equal("new", read["added"]!.GetValue<string>());
        Assert.True(read["keep"]!.GetValue<bool>());
        Assert.False(read.ContainsKey("drop"));
    }

    [Fact]
    public async Task The_expiry_can_be_moved_within_30_days_and_null_means_the_maximum()
    {
        var client = service.Delegated("update-expiry", "update-app");
        string id = await client.CreateAsync("me/notifications", Bodies.CorrectedSeed(DateTimeOffset.UtcNow.AddDays(1)));
        var instant = new DateTimeOffset(DateTime.UtcNow.AddDays(20).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

        var moved = await client.PatchAsync($"me/notifications/{id}",
            new JsonObject { ["expirationDateTime"] = instant.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture) },
            Representation);
        var before = DateTimeOffset.UtcNow;
        var reset = await client.PatchAsync($"me/notifications/{id}", new JsonObject { ["expirationDateTime"] = null }, Representation);

        string movedText = (await moved.ReadObjectAsync())["expirationDateTime"]!.GetValue<string>();
        Assert.Equal(instant, DateTimeOffset.Parse(movedText, CultureInfo.InvariantCulture));
        Assert.EndsWith("Z", movedText, StringComparison.Ordinal);
        var resetTo = DateTimeOffset.Parse((await reset.ReadObjectAsync())["expirationDateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.InRange(resetTo, before.AddDays(30).AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(30).AddSeconds(1));
    }

    [Fact]
    public async Task An_empty_patch_changes_nothing_but_the_version()
    {
        var client = service.Delegated("update-empty", "update-app");
        string id = await client.CreateAsync("me/notifications");

        var response = await client.PatchAsync($"me/notifications/{id}", new JsonObject(), Representation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"2.1\"", (await response.ReadObjectAsync())["@odata.etag"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("[{\"groupName\":\"x\"}]", "array")]
    [InlineData("{\"groupName\":", "not valid JSON")]
    [InlineData("\"text\"", "JSON object")]
    public async Task A_patch_body_that_is_not_one_JSON_object_is_a_400(string body, string messagePart)
    {
        var client = service.Delegated("update-shape", "update-app");
        string id = await client.CreateAsync("me/notifications");

        var response = await client.PatchAsync($"me/notifications/{id}", Bodies.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(messagePart, (await response.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;odata.metadata=minimal")]
    public async Task A_JSON_merge_patch_body_is_accepted(string contentType)
    {
        var client = service.Delegated("update-merge-patch", "update-app");
        string id = await client.CreateAsync("me/notifications");

        var response = await client.PatchAsync(new Uri($"me/notifications/{id}", UriKind.Relative),
            new StringContent("""{"groupName": "merged", "payload": {"rawContent": "r"}}""", System.Text.Encoding.UTF8, System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType)));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var read = await client.ReadNotificationAsync($"me/notifications/{id}");
        Assert.Equal("merged", read["groupName"]!.GetValue<string>());
        Assert.Equal("Hello", read["payload"]!["visualContent"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_patch_body_that_is_not_JSON_is_a_415()
    {
        var client = service.Delegated("update-media", "update-app");
        string id = await client.CreateAsync("me/notifications");

        var response = await client.PatchAsync(new Uri($"me/notifications/{id}", UriKind.Relative),
            new StringContent("groupName=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupportedMediaType", (await response.ReadObjectAsync()).ErrorCode());
    }

    [Fact]
    public async Task A_patch_of_a_notification_that_does_not_exist_is_a_404()
    {
        var client = service.Delegated("update-missing", "update-app");

        var response = await client.PatchAsync("me/notifications/00000000-0000-0000-0000-000000000000", new JsonObject { ["groupName"] = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("notFound", (await response.ReadObjectAsync()).ErrorCode());
    }
}

using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>
/// ETags: <c>@odata.etag</c> on every notification, the <c>ETag</c> header on single-notification answers, a new
/// tag for every update, <c>If-Match</c> on PATCH and DELETE (412), <c>If-None-Match</c> on GET (304).
/// </summary>
public sealed class ETagTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task A_new_notification_has_the_first_ETag_in_its_body_and_header()
    {
        var client = service.Delegated("etag-user-1", "etag-app");

        var response = await client.PostAsync("me/notifications", Bodies.Minimal());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // Created into a feed: the feed's tag, the content's version and the recipient's state's (docs/recipient.md).
        Assert.Equal("W/\"1.1\"", response.Headers.ETag?.ToString());
        Assert.True(response.Headers.ETag!.IsWeak);
        Assert.Equal("W/\"1.1\"", (await response.ReadObjectAsync())["@odata.etag"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_notification_of_every_answer_carries_its_ETag()
    {
        var app = service.AppOnly("etag-app-2");
        string first = await app.CreateAsync("users/etag-user-2/notifications");
        string second = await app.CreateAsync("users/etag-user-2/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"notifications/{second}", new JsonObject { ["groupName"] = "g" })).StatusCode);
        // In a feed the tag also covers the recipient's state (its version 1 here); in the entity set, the content alone.
        var expected = new Dictionary<string, string> { [first] = "W/\"1\"", [second] = "W/\"2\"" };
        var inFeed = new Dictionary<string, string> { [first] = "W/\"1.1\"", [second] = "W/\"2.1\"" };

        foreach (var (url, tags) in new[] { ("users/etag-user-2/notifications", inFeed), ("notifications", expected) })
        {
            var items = (await app.ReadNotificationAsync(url))["value"]!.AsArray();
            Assert.Equal(2, items.Count);
            Assert.All(items, n => Assert.Equal(tags[n!["id"]!.GetValue<string>()], n["@odata.etag"]!.GetValue<string>()));
        }

        foreach (var (url, tag) in new[] { ($"users/etag-user-2/notifications/{second}", "W/\"2.1\""), ($"notifications('{second}')", "W/\"2\"") })
        {
            var response = await app.GetAsync(url);
            Assert.Equal(tag, response.Headers.ETag?.ToString());
            Assert.Equal(tag, (await response.ReadObjectAsync())["@odata.etag"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("groupName")]
    [InlineData("payload/visualContent/title")]
    [InlineData("id")]
    public async Task A_select_keeps_every_notifications_ETag(string select)
    {
        var app = service.AppOnly("etag-app-select");
        string user = "etag-user-select-" + Guid.NewGuid().ToString("N");
        string first = await app.CreateAsync($"users/{user}/notifications");
        string second = await app.CreateAsync($"users/{user}/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"notifications/{second}", new JsonObject { ["groupName"] = "g" })).StatusCode);
        var expected = new Dictionary<string, string> { [first] = "W/\"1\"", [second] = "W/\"2\"" };
        var inFeed = new Dictionary<string, string> { [first] = "W/\"1.1\"", [second] = "W/\"2.1\"" };

        foreach (var (url, tags) in new[] { ($"users/{user}/notifications?$select={select},id", inFeed), ($"notifications?$select={select},id&$filter=id eq '{first}' or id eq '{second}'", expected) })
        {
            var items = (await app.ReadNotificationAsync(url))["value"]!.AsArray();
            Assert.Equal(2, items.Count);
            Assert.All(items, n => Assert.Equal(tags[n!["id"]!.GetValue<string>()], n["@odata.etag"]?.GetValue<string>()));
        }

        var selectedOnly = (await app.ReadNotificationAsync($"users/{user}/notifications?$select={select}"))["value"]!.AsArray();
        Assert.Equal(["W/\"1.1\"", "W/\"2.1\""], selectedOnly.Select(n => n!["@odata.etag"]?.GetValue<string>()).Order(StringComparer.Ordinal));

        foreach (var (url, tag) in new[] { ($"users/{user}/notifications/{second}?$select={select}", "W/\"2.1\""), ($"notifications('{second}')?$select={select}", "W/\"2\"") })
        {
            var response = await app.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(tag, response.Headers.ETag?.ToString());
            Assert.Equal(tag, (await response.ReadObjectAsync())["@odata.etag"]?.GetValue<string>());
        }
    }

    [Fact]
    public async Task Every_update_changes_the_ETag_and_answers_the_new_one()
    {
        var client = service.Delegated("etag-user-3", "etag-app");
        string id = await client.CreateAsync("me/notifications");
        var seen = new HashSet<string> { "W/\"1.1\"" };

        for (int i = 0; i < 3; i++)
        {
            var response = await client.PatchAsync($"me/notifications/{id}", new JsonObject { ["displayTimeToLive"] = i });
            string etag = response.Headers.ETag!.ToString();
            Assert.True(seen.Add(etag), $"{etag} was seen before");
            Assert.Equal(etag, (await client.GetAsync($"me/notifications/{id}")).Headers.ETag?.ToString());
        }
    }

    [Theory]
    [InlineData("W/\"1.1\"")]
    [InlineData("\"1.1\"")]
    [InlineData("*")]
    [InlineData("W/\"7\", W/\"1.1\"")]
    public async Task A_patch_whose_If_Match_holds_succeeds(string ifMatch)
    {
        var client = service.Delegated("etag-user-4", "etag-app");
        string id = await client.CreateAsync("me/notifications");

        var response = await client.PatchAsync($"me/notifications/{id}", new JsonObject { ["groupName"] = "matched" }, ifMatch: ifMatch);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("W/\"2.1\"", response.Headers.ETag?.ToString());
    }

    [Theory]
    [InlineData("me/notifications/{0}")]
    [InlineData("users/etag-user-5/notifications/{0}")]
    public async Task A_patch_with_a_stale_ETag_is_a_412_and_changes_nothing(string template)
    {
        var client = service.Delegated("etag-user-5", "etag-app");
        string id = await client.CreateAsync("me/notifications");
        string url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsync(url, new JsonObject { ["groupName"] = "first" }, ifMatch: "W/\"1.1\"")).StatusCode);

        var response = await client.PatchAsync(url, new JsonObject { ["groupName"] = "second" }, ifMatch: "W/\"1.1\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal("preconditionFailed", error.ErrorCode());
        Assert.Contains("If-Match", error.ErrorMessage(), StringComparison.Ordinal);
        var read = await client.ReadNotificationAsync(url);
        Assert.Equal("first", read["groupName"]!.GetValue<string>());
        Assert.Equal("W/\"2.1\"", read["@odata.etag"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_precondition_is_checked_before_the_merged_rules()
    {
        var client = service.Delegated("etag-user-6", "etag-app");
        string id = await client.CreateAsync("me/notifications");

        var response = await client.PatchAsync($"me/notifications/{id}", JsonNode.Parse("""{"payload": {"visualContent": null}}""")!, ifMatch: "W/\"9\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("W/1")]
    [InlineData("\"unterminated")]
    public async Task A_malformed_If_Match_is_a_400(string ifMatch)
    {
        var client = service.Delegated("etag-user-7", "etag-app");
        string id = await client.CreateAsync("me/notifications");

        var patch = await client.PatchAsync($"me/notifications/{id}", new JsonObject { ["groupName"] = "x" }, ifMatch: ifMatch);
        var delete = await client.DeleteAsync($"me/notifications/{id}", ifMatch: ifMatch);

        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Equal(["If-Match"], (await patch.ReadObjectAsync()).ErrorTargets());
        Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"me/notifications/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_delete_honors_If_Match()
    {
        var app = service.AppOnly("etag-app-8");
        string id = await app.CreateAsync("notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"notifications/{id}", new JsonObject { ["groupName"] = "g" })).StatusCode);

        var stale = await app.DeleteAsync($"notifications/{id}", ifMatch: "W/\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("preconditionFailed", (await stale.ReadObjectAsync()).ErrorCode());
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"notifications/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync($"notifications/{id}", ifMatch: "W/\"2\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.DeleteAsync($"notifications/{id}", ifMatch: "*")).StatusCode);
    }

    [Theory]
    [InlineData("W/\"1.1\"")]
    [InlineData("\"1.1\"")]
    [InlineData("*")]
    [InlineData("W/\"5\", W/\"1.1\"")]
    public async Task A_get_whose_If_None_Match_names_the_current_ETag_is_a_304_without_a_body(string ifNoneMatch)
    {
        var client = service.Delegated("etag-user-9", "etag-app");
        string id = await client.CreateAsync("me/notifications");

        var response = await client.GetAsync($"me/notifications/{id}", ifNoneMatch: ifNoneMatch);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("W/\"1.1\"", response.Headers.ETag?.ToString());
        Assert.True(response.Headers.Contains("request-id"));
    }

    [Theory]
    [InlineData("me/notifications/{0}")]
    [InlineData("users/etag-user-10/notifications('{0}')")]
    public async Task A_get_whose_If_None_Match_is_stale_answers_the_notification(string template)
    {
        var client = service.Delegated("etag-user-10", "etag-app");
        string id = await client.CreateAsync("me/notifications");
        string url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id);
        Assert.Equal(HttpStatusCode.NotModified, (await client.GetAsync(url, ifNoneMatch: "W/\"1.1\"")).StatusCode);
        await client.PatchAsync(url, new JsonObject { ["groupName"] = "newer" });

        var response = await client.GetAsync(url, ifNoneMatch: "W/\"1.1\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"2.1\"", response.Headers.ETag?.ToString());
        Assert.Equal("newer", (await response.ReadObjectAsync())["groupName"]!.GetValue<string>());
    }

    [Fact]
    public async Task If_None_Match_on_the_entity_set_path_answers_304_too()
    {
        var app = service.AppOnly("etag-app-11");
        string id = await app.CreateAsync("notifications");

        Assert.Equal(HttpStatusCode.NotModified, (await app.GetAsync($"notifications/{id}", ifNoneMatch: "W/\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync("notifications/00000000-0000-0000-0000-000000000000", ifNoneMatch: "*")).StatusCode);
    }
}

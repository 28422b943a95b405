using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Batch;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>
/// The preconditions <see cref="ETagTests"/> does not cover: <c>If-None-Match</c> on PATCH and DELETE, and
/// <c>If-Match</c> on GET (OData 4.01 Part 1, 8.2.4 and 8.2.5). A client that sends them relies on them, so a
/// precondition that fails is a 412 that changes nothing, never a request carried out as if the header were absent.
/// </summary>
public sealed class EntityTagPreconditionTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Theory]
    [InlineData("W/\"1.1\"")]
    [InlineData("\"1.1\"")]
    [InlineData("*")]
    [InlineData("W/\"5\", W/\"1.1\"")]
    public async Task A_patch_or_delete_whose_If_None_Match_names_the_current_ETag_is_a_412_that_changes_nothing(string ifNoneMatch)
    {
        var client = service.Delegated("precondition-user-1", "precondition-app");
        string id = await client.CreateAsync("me/notifications");

        var patch = await client.SendAsync(Patch($"me/notifications/{id}", "changed", ("If-None-Match", ifNoneMatch)));
        var delete = await client.SendAsync(Delete($"me/notifications('{id}')", ("If-None-Match", ifNoneMatch)));

        foreach (var response in new[] { patch, delete })
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
            var error = await response.ReadObjectAsync();
            Assert.Equal("preconditionFailed", error.ErrorCode());
            Assert.Contains("If-None-Match", error.ErrorMessage(), StringComparison.Ordinal);
        }

        var stored = await client.ReadNotificationAsync($"me/notifications/{id}");
        Assert.Null(stored["groupName"]);
        Assert.Equal("W/\"1.1\"", stored["@odata.etag"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_patch_and_a_delete_whose_If_None_Match_names_another_version_are_carried_out()
    {
        var app = service.AppOnly("precondition-app-2");
        string id = await app.CreateAsync("users/precondition-user-2/notifications");

        var patch = await app.SendAsync(Patch($"users/precondition-user-2/notifications/{id}", "changed", ("If-None-Match", "W/\"7\"")));
        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        Assert.Equal("W/\"2.1\"", patch.Headers.ETag?.ToString());
        Assert.Equal("changed", (await app.ReadNotificationAsync($"notifications/{id}"))["groupName"]!.GetValue<string>());

        // The tag the client last saw is no longer current: the delete goes ahead.
        var delete = await app.SendAsync(Delete($"notifications/{id}", ("If-None-Match", "W/\"1\"")));
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"notifications/{id}")).StatusCode);
    }

    [Fact]
    public async Task Both_preconditions_must_hold_and_each_failure_names_its_header()
    {
        var client = service.Delegated("precondition-user-3", "precondition-app");
        string id = await client.CreateAsync("me/notifications");
        string url = $"me/notifications/{id}";

        var ifMatchFails = await client.SendAsync(Patch(url, "x", ("If-Match", "W/\"9\""), ("If-None-Match", "W/\"8\"")));
        var ifNoneMatchFails = await client.SendAsync(Patch(url, "x", ("If-Match", "W/\"1.1\""), ("If-None-Match", "*")));
        var bothHold = await client.SendAsync(Patch(url, "both", ("If-Match", "W/\"1.1\""), ("If-None-Match", "W/\"8\"")));

        Assert.Equal(HttpStatusCode.PreconditionFailed, ifMatchFails.StatusCode);
        Assert.StartsWith("The notification has changed: If-Match", (await ifMatchFails.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PreconditionFailed, ifNoneMatchFails.StatusCode);
        Assert.StartsWith("If-None-Match", (await ifNoneMatchFails.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, bothHold.StatusCode);
        Assert.Equal("both", (await client.ReadNotificationAsync(url))["groupName"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("W/1")]
    public async Task A_malformed_If_None_Match_on_a_patch_or_delete_is_a_400_that_names_it(string ifNoneMatch)
    {
        var client = service.Delegated("precondition-user-4", "precondition-app");
        string id = await client.CreateAsync("me/notifications");

        var patch = await client.SendAsync(Patch($"me/notifications/{id}", "x", ("If-None-Match", ifNoneMatch)));
        var delete = await client.SendAsync(Delete($"me/notifications/{id}", ("If-None-Match", ifNoneMatch)));

        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Equal(["If-None-Match"], (await patch.ReadObjectAsync()).ErrorTargets());
        Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
        Assert.Null((await client.ReadNotificationAsync($"me/notifications/{id}"))["groupName"]);
    }

    [Theory]
    [InlineData("me/notifications/{0}")]
    [InlineData("notifications('{0}')")]
    public async Task A_get_whose_If_Match_is_stale_is_a_412_and_one_that_holds_answers_the_notification(string template)
    {
        var user = service.Delegated("precondition-user-5", "precondition-app-5");
        string id = await user.CreateAsync("me/notifications");
        var client = template.StartsWith("me/", StringComparison.Ordinal) ? user : service.AppOnly("precondition-app-5");
        string url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id);

        var stale = await client.SendAsync(Get(url, ("If-Match", "W/\"2.1\"")));
        var current = await client.SendAsync(Get(url, ("If-Match", "W/\"1.1\"")));
        var any = await client.SendAsync(Get(url, ("If-Match", "*")));
        var malformed = await client.SendAsync(Get(url, ("If-Match", "W/2")));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("preconditionFailed", (await stale.ReadObjectAsync()).ErrorCode());
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal(id, (await current.ReadObjectAsync())["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, any.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(["If-Match"], (await malformed.ReadObjectAsync()).ErrorTargets());
    }

    [Fact]
    public async Task Inside_a_batch_a_delete_under_If_None_Match_star_is_the_same_412()
    {
        var client = service.Delegated("precondition-user-6", "precondition-app");
        string id = await client.CreateAsync("me/notifications");

        var responses = await client.BatchAsync(
            BatchRequests.Request("delete", "DELETE", $"me/notifications/{id}", headers: new() { ["If-None-Match"] = "*" }));

        Assert.Equal(412, responses["delete"].Status());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"me/notifications/{id}")).StatusCode);
    }

    private static HttpRequestMessage Patch(string url, string groupName, params (string Name, string Value)[] headers) =>
        With(new HttpRequestMessage(HttpMethod.Patch, url) { Content = Bodies.Json(new JsonObject { ["groupName"] = groupName }) }, headers);

    private static HttpRequestMessage Delete(string url, params (string Name, string Value)[] headers) =>
        With(new HttpRequestMessage(HttpMethod.Delete, url), headers);

    private static HttpRequestMessage Get(string url, params (string Name, string Value)[] headers) =>
        With(new HttpRequestMessage(HttpMethod.Get, url), headers);

    private static HttpRequestMessage With(HttpRequestMessage request, (string Name, string Value)[] headers)
    {
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}

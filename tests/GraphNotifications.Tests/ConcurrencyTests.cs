using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>
/// Concurrent changes on a real SQLite file: with the same ETag exactly one writer wins and the others get 412;
/// without one, no update is lost. <see cref="SaveGate"/> stages the race deterministically (every writer has read
/// before any writes); the free-running tests fire many requests at once.
/// </summary>
public sealed class ConcurrencyTests(SqliteStoreFactory service) : IClassFixture<SqliteStoreFactory>
{
    [Fact]
    public async Task Two_patches_with_the_same_ETag_one_wins_the_other_gets_412()
    {
        var client = service.Delegated("race-user-1", "race-app");
        string id = await client.CreateAsync("me/notifications");
        service.Gate.Arm(2);

        var responses = await Task.WhenAll(
            client.PatchAsync($"me/notifications/{id}", new JsonObject { ["groupName"] = "a" }, ifMatch: "W/\"1.1\""),
            client.PatchAsync($"me/notifications/{id}", new JsonObject { ["groupName"] = "b" }, ifMatch: "W/\"1.1\""));

        Assert.Equal(2, service.Gate.Held);
        var statuses = responses.Select(r => r.StatusCode).Order().ToArray();
        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.PreconditionFailed], statuses);
        var winner = responses.Single(r => r.StatusCode == HttpStatusCode.NoContent);
        var read = await client.ReadNotificationAsync($"me/notifications/{id}");
        Assert.Equal("W/\"2.1\"", read["@odata.etag"]!.GetValue<string>());
        Assert.Equal(winner == responses[0] ? "a" : "b", read["groupName"]!.GetValue<string>());
        Assert.Equal("preconditionFailed", (await responses.Single(r => r != winner).ReadObjectAsync()).ErrorCode());
    }

    [Fact]
    public async Task Two_patches_of_different_properties_without_an_ETag_both_survive()
    {
        var client = service.Delegated("race-user-2", "race-app");
        string id = await client.CreateAsync("me/notifications");
        service.Gate.Arm(2);

        var responses = await Task.WhenAll(
            client.PatchAsync($"me/notifications/{id}", new JsonObject { ["groupName"] = "group", ["first"] = 1 }),
            client.PatchAsync($"me/notifications/{id}", new JsonObject { ["displayTimeToLive"] = 30, ["second"] = 2 }));

        Assert.Equal(2, service.Gate.Held);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        var read = await client.ReadNotificationAsync($"me/notifications/{id}");
        Assert.Equal("group", read["groupName"]!.GetValue<string>());
        Assert.Equal(30, read["displayTimeToLive"]!.GetValue<int>());
        Assert.Equal(1, read["first"]!.GetValue<int>());
        Assert.Equal(2, read["second"]!.GetValue<int>());
        Assert.Equal("W/\"3.1\"", read["@odata.etag"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_patch_and_a_delete_with_the_same_ETag_one_wins()
    {
        var app = service.AppOnly("race-app-3");
        string id = await app.CreateAsync("users/race-user-3/notifications");
        service.Gate.Arm(2);

        var responses = await Task.WhenAll(
            app.PatchAsync($"notifications/{id}", new JsonObject { ["groupName"] = "a" }, ifMatch: "W/\"1\""),
            app.DeleteAsync($"users/race-user-3/notifications/{id}", ifMatch: "W/\"1.1\""));

        Assert.Equal(2, service.Gate.Held);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.NoContent);
        Assert.Single(responses, r => r.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound);
        bool deleted = responses[1].StatusCode == HttpStatusCode.NoContent;
        Assert.Equal(!deleted, await service.RowExistsAsync(id));
    }

    [Fact]
    public async Task Many_patches_with_the_same_ETag_exactly_one_succeeds()
    {
        var client = service.Delegated("race-user-4", "race-app");
        string id = await client.CreateAsync("me/notifications");
        const int writers = 8;

        var responses = await Task.WhenAll(Enumerable.Range(0, writers).Select(i =>
            client.PatchAsync($"me/notifications/{id}", new JsonObject { ["groupName"] = $"writer {i}" }, ifMatch: "W/\"1.1\"")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.NoContent);
        Assert.Equal(writers - 1, responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
        Assert.Equal("W/\"2.1\"", (await client.ReadNotificationAsync($"me/notifications/{id}"))["@odata.etag"]!.GetValue<string>());
    }

    [Fact]
    public async Task Many_patches_without_an_ETag_lose_no_update()
    {
        // Dynamic properties share one column: without the version check, concurrent writers would overwrite each other's.
        var client = service.Delegated("race-user-5", "race-app");
        string id = await client.CreateAsync("me/notifications");
        const int writers = 8;

        var responses = await Task.WhenAll(Enumerable.Range(0, writers).Select(i =>
            client.PatchAsync($"me/notifications/{id}", new JsonObject { [$"writer{i}"] = i })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        var read = await client.ReadNotificationAsync($"me/notifications/{id}");
        Assert.All(Enumerable.Range(0, writers), i => Assert.Equal(i, read[$"writer{i}"]?.GetValue<int>()));
        Assert.Equal($"W/\"{writers + 1}.1\"", read["@odata.etag"]!.GetValue<string>());
    }

    [Fact]
    public async Task On_SQLite_complex_values_merge_and_a_delete_takes_the_links_with_it()
    {
        var app = service.AppOnly("race-app-6");
        string id = await app.CreateAsync("users/race-user-6/notifications", Bodies.CorrectedSeed());
        Assert.Equal(HttpStatusCode.NoContent,
            (await app.PostAsync("users/race-user-7/notifications/$ref", new JsonObject { ["@odata.id"] = $"notifications('{id}')" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"notifications/{id}", JsonNode.Parse("""{"payload": {"visualContent": null}}""")!)).StatusCode);
        Assert.Null((await app.ReadNotificationAsync($"notifications/{id}"))["payload"]!["visualContent"]);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"notifications/{id}", JsonNode.Parse("""{"payload": {"visualContent": {"title": "back"}}}""")!)).StatusCode);
        var payload = (await app.ReadNotificationAsync($"notifications/{id}"))["payload"]!;
        Assert.Equal("back", payload["visualContent"]!["title"]!.GetValue<string>());
        Assert.Equal("Raw Content value", payload["rawContent"]!.GetValue<string>());
        Assert.Equal(2, await service.LinkCountAsync(id));

        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync($"notifications/{id}")).StatusCode);

        Assert.False(await service.RowExistsAsync(id));
        Assert.Equal(0, await service.LinkCountAsync(id));
    }
}

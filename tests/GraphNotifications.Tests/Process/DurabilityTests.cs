using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// A 201 or 204 is a promise that the change is on disk: the real service, killed with SIGKILL the moment it has
/// answered (no graceful shutdown, no flush), still has the change when it starts again on the same SQLite file.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class DurabilityTests
{
    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task A_notification_answered_201_survives_a_SIGKILL_right_after_and_reads_back_with_every_property_equal()
    {
        await using var service = await ServiceProcess.StartAsync();
        const string user = "durable-user-1", app = "durable-app-1";
        var body = Bodies.CorrectedSeed(DateTimeOffset.UtcNow.AddDays(5));
        body["appNotificationId"] = "durable-app-notification-1";

        JsonObject created;
        using (var client = service.Delegated(user, app))
        {
            var response = await client.PostAsync("me/notifications", body);
            await service.AssertStatusAsync(HttpStatusCode.Created, response);
            created = await response.ReadObjectAsync();
        }

        service.Kill();
        await service.RestartAsync();

        // What was sent came back in the 201, so comparing with it compares with what was sent.
        Assert.Equal("Title value", created["payload"]!["visualContent"]!["title"]!.GetValue<string>());
        Assert.Equal("durable-app-notification-1", created["appNotificationId"]!.GetValue<string>());
        string id = created["id"]!.GetValue<string>();
        using var restarted = service.Delegated(user, app);
        var read = await restarted.GetAsync($"me/notifications/{id}");
        await service.AssertStatusAsync(HttpStatusCode.OK, read);
        ServiceProcessAssertions.AssertSameProperties(created, await read.ReadObjectAsync());

        var feed = await restarted.GetAsync("me/notifications");
        await service.AssertStatusAsync(HttpStatusCode.OK, feed);
        var item = Assert.Single((await feed.ReadObjectAsync())["value"]!.AsArray());
        ServiceProcessAssertions.AssertSameProperties(created, item!);
    }

    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task Links_and_a_dismissal_answered_204_survive_a_SIGKILL_right_after()
    {
        await using var service = await ServiceProcess.StartAsync();
        const string app = "durable-app-2", kept = "durable-user-kept", dismissed = "durable-user-dismissed";

        string id;
        using (var client = service.AppOnly(app))
        {
            var created = await client.PostAsync("notifications", Bodies.Minimal("Linked twice"));
            await service.AssertStatusAsync(HttpStatusCode.Created, created);
            id = (await created.ReadObjectAsync())["id"]!.GetValue<string>();
            var reference = new JsonObject { ["@odata.id"] = created.Headers.Location!.ToString() };

            foreach (string user in new[] { kept, dismissed })
            {
                await service.AssertStatusAsync(HttpStatusCode.NoContent, await client.PostAsync($"users/{user}/notifications/$ref", reference));
            }

            await service.AssertStatusAsync(HttpStatusCode.NoContent, await client.DeleteAsync($"users/{dismissed}/notifications/{id}/$ref"));
        }

        service.Kill();
        await service.RestartAsync();

        using var restarted = service.AppOnly(app);
        await service.AssertStatusAsync(HttpStatusCode.OK, await restarted.GetAsync($"notifications/{id}"));
        await service.AssertStatusAsync(HttpStatusCode.OK, await restarted.GetAsync($"users/{kept}/notifications/{id}"));
        Assert.Equal([id], await FeedIdsAsync(service, restarted, kept));
        await service.AssertStatusAsync(HttpStatusCode.NotFound, await restarted.GetAsync($"users/{dismissed}/notifications/{id}"));
        Assert.Empty(await FeedIdsAsync(service, restarted, dismissed));
    }

    private static async Task<string[]> FeedIdsAsync(ServiceProcess service, HttpClient client, string user)
    {
        var response = await client.GetAsync($"users/{user}/notifications");
        await service.AssertStatusAsync(HttpStatusCode.OK, response);
        return (await response.ReadObjectAsync())["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToArray();
    }
}

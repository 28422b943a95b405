using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using GraphNotifications.Tests.Subscriptions;

namespace GraphNotifications.Tests.FanOut;

/// <summary>
/// A webhook subscribed to a user's feed hears of a fan-out's link into that feed, and of its removal, as it hears of a
/// <c>$ref</c>'s: a created change, then a deleted one; a feed the call left alone hears nothing.
/// </summary>
public sealed class FanOutWebhookTests(DeliveryServiceFactory service) : IClassFixture<DeliveryServiceFactory>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Each_subscribed_feed_hears_of_its_new_link_and_of_its_removal()
    {
        using var app = service.AppOnly("fow-app");
        string id = await app.CreateAsync("notifications");
        string[] users = ["fow-a", "fow-b", "fow-c"];
        foreach (string user in users)
        {
            await app.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, $"users/{user}/notifications", changeType: "created,deleted"));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync($"notifications('{id}')/microsoft.graph.addRecipients",
            new JsonObject { ["userIds"] = new JsonArray("fow-a", "fow-b", "fow-x") })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync($"notifications('{id}')/microsoft.graph.removeRecipients",
            new JsonObject { ["userIds"] = new JsonArray("fow-b") })).StatusCode);

        var items = await _receiver.WaitForAsync(items => items.Length >= 3);
        Assert.Equal(
            [("created", id, "fow-a"), ("created", id, "fow-b"), ("deleted", id, "fow-b")],
            items.Select(i => (DeliveryTests.Change(i).ChangeType, DeliveryTests.Change(i).Id, Feed(i))).Order());
        // Nothing for fow-c, whose feed the calls left alone: a created change for it would have come with the others.
        Assert.DoesNotContain(items, i => Feed(i) == "fow-c");
    }

    /// <summary>The user whose feed an item is about, from its resource path (<c>Users/{id}/Notifications/{id}</c>).</summary>
    private static string Feed(JsonObject item) => item["resource"]!.GetValue<string>().Split('/')[1];
}

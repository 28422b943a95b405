using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using GraphNotifications.Tests.Subscriptions;

namespace GraphNotifications.Tests.Recipient;

/// <summary>
/// The app that created a notification hears, through its webhook on the user's feed, that the user activated or
/// dismissed it: each state change is an <c>updated</c> change notification; a PATCH that changes nothing is none.
/// </summary>
public sealed class RecipientWebhookTests(DeliveryServiceFactory service) : IClassFixture<DeliveryServiceFactory>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task The_creating_apps_webhook_hears_that_its_user_activated_and_dismissed_the_notification()
    {
        using var app = service.AppOnly("rw-app");
        using var user = service.Delegated("rw-user", "rw-app");
        string first = await app.CreateAsync("users/rw-user/notifications");
        string second = await app.CreateAsync("users/rw-user/notifications");
        await app.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "users/rw-user/notifications", changeType: "updated"));

        Assert.Equal(HttpStatusCode.NoContent, (await user.PatchAsync($"me/notifications/{first}", new JsonObject { ["userActionState"] = "activated" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await user.PatchAsync($"me/notifications/{first}", new JsonObject { ["userActionState"] = "activated" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await user.PatchAsync($"me/notifications/{second}", new JsonObject { ["userActionState"] = "dismissed" })).StatusCode);

        // A last change, delivered in order after the others: had the repeated PATCH made one, it would come before it.
        Assert.Equal(HttpStatusCode.NoContent, (await user.PatchAsync($"me/notifications/{second}", new JsonObject { ["readState"] = "unread" })).StatusCode);

        var items = await _receiver.WaitForAsync(items => items.Length >= 3);
        Assert.Equal([("updated", first), ("updated", second), ("updated", second)], items.Select(DeliveryTests.Change));
        var seen = await app.ReadNotificationAsync($"users/rw-user/notifications/{second}");
        Assert.Equal("dismissed", seen["userActionState"]!.GetValue<string>());
    }
}

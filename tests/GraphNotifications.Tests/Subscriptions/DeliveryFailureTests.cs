using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Subscriptions;

/// <summary>A webhook that fails past the retry window: the subscription is marked, the app is told, a renewal resumes it.</summary>
public sealed class DeliveryFailureTests(ShortRetryDeliveryFactory service) : IClassFixture<ShortRetryDeliveryFactory>
{
    [Fact]
    public async Task Past_the_retry_window_the_subscription_is_marked_failed_and_a_renewal_resumes_where_it_stopped()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var lifecycle = await WebhookReceiver.StartAsync();
        using var client = service.Delegated("dlvf-u1", "dlvf-app-1");
        var body = SubscriptionBodies.New(receiver.Url);
        body["lifecycleNotificationUrl"] = lifecycle.Url.ToString();
        string subscriptionId = (await client.SubscribeAsync(body))["id"]!.GetValue<string>();
        receiver.NotificationStatus = (int)HttpStatusCode.ServiceUnavailable;

        string first = await client.CreateAsync("me/notifications");
        var notice = Assert.Single(await lifecycle.WaitForAsync(items => items.Length > 0, TimeSpan.FromSeconds(15)));
        Assert.Equal("subscriptionRemoved", notice["lifecycleEvent"]!.GetValue<string>());
        Assert.Equal(subscriptionId, notice["subscriptionId"]!.GetValue<string>());
        var failed = await client.ReadNotificationAsync($"subscriptions/{subscriptionId}");
        Assert.NotNull(failed["deliveryFailedDateTime"]);
        Assert.Contains("503", failed["lastDeliveryError"]!.GetValue<string>(), StringComparison.Ordinal);

        // Marked: no more attempts, even once the webhook is back.
        receiver.NotificationStatus = (int)HttpStatusCode.Accepted;
        string second = await client.CreateAsync("me/notifications");
        int refused = receiver.Refused;
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(refused, receiver.Refused);
        Assert.Empty(receiver.Notifications);

        var renewed = await client.PatchAsync($"subscriptions/{subscriptionId}", new JsonObject { ["expirationDateTime"] = SubscriptionBodies.In(TimeSpan.FromHours(2)) });
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Null((await renewed.ReadObjectAsync())["deliveryFailedDateTime"]);

        var items = await receiver.WaitForAsync(items => items.Length >= 2);
        Assert.Equal([("created", first), ("created", second)], items.Select(DeliveryTests.Change));
    }
}

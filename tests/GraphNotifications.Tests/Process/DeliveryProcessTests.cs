using GraphNotifications.Tests.Infrastructure;
using GraphNotifications.Tests.Subscriptions;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// Delivery survives the service being killed (SIGKILL) while it delivers: after the restart every change reaches
/// the webhook, in order; a batch in flight at the kill may arrive twice (at least once, as Graph delivers).
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class DeliveryProcessTests
{
    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task Changes_pending_when_the_service_is_killed_mid_delivery_are_delivered_after_the_restart_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await ServiceProcess.StartAsync(settings: DeliveryProcess.Settings);
        using var client = service.Delegated("kill-u1", "kill-app");
        await client.SubscribeAsync(SubscriptionBodies.New(receiver.Url));
        receiver.NotificationDelay = TimeSpan.FromMilliseconds(300);
        var ids = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            ids.Add(await client.CreateAsync("me/notifications", Bodies.Minimal($"n{i}")));
        }

        await receiver.WaitForAsync(items => items.Length >= 2, TimeSpan.FromSeconds(30));
        service.Kill();
        receiver.NotificationDelay = TimeSpan.Zero;
        await service.RestartAsync();

        var items = await receiver.WaitForAsync(items => DeliveryProcess.FirstArrivals(items).Count == ids.Count, TimeSpan.FromSeconds(60));
        Assert.Equal(ids, DeliveryProcess.FirstArrivals(items));
    }
}

/// <summary>What the delivery process tests share: settings for quick take-over, and reading what arrived.</summary>
internal static class DeliveryProcess
{
    /// <summary>
    /// Loopback webhooks over http (the process runs in Production, where both are refused by default), one change
    /// per POST, and a short lease so that a killed instance's claim lapses within seconds.
    /// </summary>
    public static readonly string[] Settings =
    [
        "Subscriptions:AllowPrivateNotificationUrls=true",
        "Subscriptions:RequireHttps=false",
        "Subscriptions:Delivery:BatchSize=1",
        "Subscriptions:Delivery:Timeout=00:00:01",
        "Subscriptions:Delivery:ClaimLease=00:00:03",
        "Subscriptions:Delivery:RetryBase=00:00:00.100",
        "Subscriptions:Delivery:RetryCap=00:00:00.500",
    ];

    /// <summary>The notification ids in the order they first arrived; a repeat (at least once) is left out.</summary>
    public static List<string> FirstArrivals(IEnumerable<System.Text.Json.Nodes.JsonObject> items) =>
        items.Select(i => DeliveryTests.Change(i).Id).Distinct().ToList();
}

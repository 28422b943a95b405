using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GraphNotifications.Tests.Subscriptions;

/// <summary>
/// Change notifications reach a webhook receiver on loopback: Graph's payload, each change type, the subscription's
/// filters, who hears of what, and the receiver being down for a while.
/// </summary>
public sealed class DeliveryTests(DeliveryServiceFactory service, ITestOutputHelper output) : IClassFixture<DeliveryServiceFactory>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_created_notification_reaches_the_webhook_with_Graphs_payload()
    {
        using var client = service.Delegated("dlv-u1", "dlv-app-1");
        string subscriptionId = (await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url)))["id"]!.GetValue<string>();

        var timer = Stopwatch.StartNew();
        string id = await client.CreateAsync("me/notifications");
        var created = timer.Elapsed;
        var item = Assert.Single(await _receiver.WaitForAsync(items => items.Length > 0));
        output.WriteLine($"delivered {(timer.Elapsed - created).TotalMilliseconds:0} ms after the 201");

        Assert.Equal(subscriptionId, item["subscriptionId"]!.GetValue<string>());
        Assert.Equal("secret-client-state", item["clientState"]!.GetValue<string>());
        Assert.Equal("created", item["changeType"]!.GetValue<string>());
        Assert.Equal($"users/dlv-u1/notifications/{id}", item["resource"]!.GetValue<string>());
        Assert.Equal("#microsoft.graph.notification", item["resourceData"]!["@odata.type"]!.GetValue<string>());
        Assert.Equal($"users/dlv-u1/notifications/{id}", item["resourceData"]!["@odata.id"]!.GetValue<string>());
        Assert.Equal(id, item["resourceData"]!["id"]!.GetValue<string>());
        Assert.NotNull(item["subscriptionExpirationDateTime"]);
        Assert.NotNull(item["tenantId"]);
    }

    [Fact]
    public async Task A_patch_a_dismissal_and_a_delete_reach_the_webhook_in_order_with_their_change_types()
    {
        using var client = service.Delegated("dlv-u2", "dlv-app-2");
        await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, changeType: "created,updated,deleted"));

        string first = await client.CreateAsync("me/notifications");
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsync($"me/notifications/{first}", new JsonObject { ["groupName"] = "g" }, prefer: "return=representation")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"me/notifications/{first}/$ref")).StatusCode);
        string second = await client.CreateAsync("me/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"me/notifications/{second}")).StatusCode);

        var items = await _receiver.WaitForAsync(items => items.Length >= 5);
        Assert.Equal(
            [("created", first), ("updated", first), ("deleted", first), ("created", second), ("deleted", second)],
            items.Select(Change));
    }

    [Fact]
    public async Task An_expired_notification_reaches_the_webhook_as_deleted()
    {
        using var client = service.Delegated("dlv-u3", "dlv-app-3");
        await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, changeType: "deleted"));
        var body = Bodies.Minimal();
        body["expirationDateTime"] = DateTimeOffset.UtcNow.AddSeconds(2).ToString("O");
        string id = await client.CreateAsync("me/notifications", body);

        var items = await _receiver.WaitForAsync(items => items.Length > 0, TimeSpan.FromSeconds(15));

        Assert.Equal([("deleted", id)], items.Select(Change));
    }

    [Fact]
    public async Task Only_the_subscribed_change_types_and_target_host_reach_the_webhook()
    {
        using var client = service.Delegated("dlv-u4", "dlv-app-4");
        await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "me/notifications?$filter=targetHostName eq 'a.example'", changeType: "created,deleted"));
        var onB = Bodies.Minimal();
        onB["targetHostName"] = "b.example";
        var onA = Bodies.Minimal();
        onA["targetHostName"] = "a.example";

        string b = await client.CreateAsync("me/notifications", onB);
        string a = await client.CreateAsync("me/notifications", onA);
        Assert.True((await client.PatchAsync($"me/notifications/{a}", new JsonObject { ["groupName"] = "g" })).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"me/notifications/{b}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"me/notifications/{a}")).StatusCode);

        // In order per subscription: once a's deletion is here, anything b or the update sent would be here before it.
        var items = await _receiver.WaitForAsync(items => items.Any(i => Change(i) == ("deleted", a)));
        Assert.Equal([("created", a), ("deleted", a)], items.Select(Change));
    }

    [Fact]
    public async Task Another_apps_and_another_tenants_changes_to_the_same_user_never_reach_the_webhook()
    {
        using var owner = service.AppOnly("dlv-app-5");
        using var otherApp = service.AppOnly("dlv-app-5-other");
        using var otherTenant = service.ClientWith(TestTokens.AppOnly("dlv-app-5", tweak: TestTokens.InTenant("dlv-other-tenant")));
        await owner.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "users/dlv-u5/notifications"));

        await otherApp.CreateAsync("users/dlv-u5/notifications");
        await otherTenant.CreateAsync("users/dlv-u5/notifications");
        string own = await owner.CreateAsync("users/dlv-u5/notifications");

        var items = await _receiver.WaitForAsync(items => items.Any(i => Change(i) == ("created", own)));
        Assert.Equal([("created", own)], items.Select(Change));
    }

    [Theory]
    [InlineData("503", "answered 503")]
    [InlineData("closed", "could not be reached")]
    public async Task Changes_made_while_the_webhook_fails_arrive_after_it_recovers_in_order_none_lost(string failure, string error)
    {
        using var client = service.Delegated("dlv-u6-" + failure, "dlv-app-6");
        string subscriptionId = (await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url)))["id"]!.GetValue<string>();
        _receiver.NotificationStatus = failure == "503" ? (int)HttpStatusCode.ServiceUnavailable : (int)HttpStatusCode.Accepted;
        _receiver.AbortNotifications = failure == "closed";

        var ids = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            ids.Add(await client.CreateAsync("me/notifications", Bodies.Minimal($"n{i}")));
        }

        await WaitUntilAsync(() => _receiver.Refused >= 3);
        var failing = await client.ReadNotificationAsync($"subscriptions/{subscriptionId}");
        Assert.Contains(error, failing["lastDeliveryError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(failing["deliveryFailedDateTime"]);
        _receiver.NotificationStatus = (int)HttpStatusCode.Accepted;
        _receiver.AbortNotifications = false;

        var items = await _receiver.WaitForAsync(items => items.Length >= ids.Count);
        Assert.Equal(ids, items.Select(i => Change(i).Id));
        // Recorded just after the webhook's 202, so read until it shows.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(5);
        while ((await client.ReadNotificationAsync($"subscriptions/{subscriptionId}"))["lastDeliveryError"] is not null)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "lastDeliveryError was not cleared after the webhook recovered.");
            await Task.Delay(50);
        }
    }

    internal static (string ChangeType, string Id) Change(JsonObject item) =>
        (item["changeType"]!.GetValue<string>(), item["resourceData"]!["id"]!.GetValue<string>());

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(25);
        }
    }
}

using GraphNotifications.Tests.Infrastructure;
using GraphNotifications.Tests.Subscriptions;
using Xunit.Abstractions;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// Two service processes on one PostgreSQL database deliver between them: every change once, in order, whichever
/// instance it was made through; and when one is killed mid-delivery the other takes its subscriptions over.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class PostgresDeliveryTests : IClassFixture<PostgresTestDatabase>
{
    private readonly PostgresTestDatabase _database;
    private readonly ITestOutputHelper _output;

    public PostgresDeliveryTests(PostgresTestDatabase database, ITestOutputHelper output)
    {
        database.SkipUnlessAvailable();
        _database = database;
        _output = output;
    }

    [SkippableFact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task Two_instances_deliver_every_change_once_and_one_takes_over_when_the_other_is_killed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var first = await ServiceProcess.StartOnPostgresAsync(_database.ConnectionString, DeliveryProcess.Settings);
        await using var second = await ServiceProcess.StartOnPostgresAsync(_database.ConnectionString, DeliveryProcess.Settings);
        string[] users = ["pgd-u1", "pgd-u2", "pgd-u3"];
        using var throughFirst = first.AppOnly("pgd-app");
        using var throughSecond = second.AppOnly("pgd-app");
        foreach (string user in users)
        {
            await (user == "pgd-u2" ? throughSecond : throughFirst).SubscribeAsync(SubscriptionBodies.New(receiver.Url, $"users/{user}/notifications"));
        }

        // Creates through both, alternating: every one delivered, none twice.
        var ids = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            ids.Add(await (i % 2 == 0 ? throughFirst : throughSecond).CreateAsync($"users/{users[i % users.Length]}/notifications", Bodies.Minimal($"n{i}")));
        }

        var items = await receiver.WaitForAsync(items => DeliveryProcess.FirstArrivals(items).Count == ids.Count, TimeSpan.FromSeconds(30));
        int duplicates = items.Length - DeliveryProcess.FirstArrivals(items).Count;
        _output.WriteLine($"two instances: {ids.Count} changes, {items.Length} deliveries, {duplicates} duplicates");
        Assert.Equal(0, duplicates);
        AssertInOrderPerFeed(ids, items);

        // A slow webhook, more changes, and the first instance killed while deliveries are in flight.
        receiver.NotificationDelay = TimeSpan.FromMilliseconds(200);
        for (int i = 30; i < 60; i++)
        {
            ids.Add(await (i % 2 == 0 ? throughFirst : throughSecond).CreateAsync($"users/{users[i % users.Length]}/notifications", Bodies.Minimal($"n{i}")));
        }

        await receiver.WaitForAsync(items => items.Length >= 33, TimeSpan.FromSeconds(30));
        first.Kill();
        receiver.NotificationDelay = TimeSpan.Zero;

        items = await receiver.WaitForAsync(items => DeliveryProcess.FirstArrivals(items).Count == ids.Count, TimeSpan.FromSeconds(60));
        _output.WriteLine($"after the kill: {ids.Count} changes, {items.Length} deliveries, {items.Length - ids.Count} duplicates");
        AssertInOrderPerFeed(ids, items);
    }

    /// <summary>Each subscription's changes first arrived in the order they were made.</summary>
    private static void AssertInOrderPerFeed(List<string> ids, System.Text.Json.Nodes.JsonObject[] items)
    {
        foreach (var feed in items.GroupBy(i => i["subscriptionId"]!.GetValue<string>()))
        {
            var arrived = DeliveryProcess.FirstArrivals(feed);
            Assert.Equal(ids.Where(arrived.Contains), arrived);
        }
    }
}

using System.Diagnostics;
using GraphNotifications.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GraphNotifications.Tests.Subscriptions;

/// <summary>A change committed by this instance wakes delivery at once: it does not wait for the next poll.</summary>
public sealed class DeliveryWakeTests(SlowPollDeliveryFactory service, ITestOutputHelper output) : IClassFixture<SlowPollDeliveryFactory>
{
    [Fact]
    public async Task With_a_poll_once_a_minute_a_create_still_reaches_the_webhook_within_seconds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = service.Delegated("wake-u1", "wake-app");
        await client.SubscribeAsync(SubscriptionBodies.New(receiver.Url));
        // The worker's first poll runs at start; from now on only a commit wakes it within the minute.
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        for (int i = 0; i < 3; i++)
        {
            var timer = Stopwatch.StartNew();
            string id = await client.CreateAsync("me/notifications", Bodies.Minimal($"n{i}"));
            await receiver.WaitForAsync(items => items.Any(item => DeliveryTests.Change(item).Id == id), TimeSpan.FromSeconds(10));
            output.WriteLine($"create {i}: delivered {timer.ElapsedMilliseconds} ms after the POST was sent");
        }
    }
}

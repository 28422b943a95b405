using System.Net;
using GraphNotifications.Api.Storage.Subscriptions;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Subscriptions;

public sealed class InMemorySubscriptionSweepTests(InMemoryStoreFactory service) : SubscriptionSweepTests<InMemoryStoreFactory>(service), IClassFixture<InMemoryStoreFactory>;

public sealed class SqliteSubscriptionSweepTests(SqliteStoreFactory service) : SubscriptionSweepTests<SqliteStoreFactory>(service), IClassFixture<SqliteStoreFactory>;

/// <summary>
/// An expired subscription is gone from every read the moment it expires, and the sweeper then deletes its row.
/// The service's clock is the factory's fake one, moved forward by the test.
/// </summary>
public abstract class SubscriptionSweepTests<TFactory>(TFactory service) : IAsyncLifetime where TFactory : StoreServiceFactory
{
    private WebhookReceiver _receiver = null!;
    private WebApplicationFactory<Program> _factory = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _factory = service.WithWebHostBuilder(b => b.UseSetting("Subscriptions:AllowPrivateNotificationUrls", "true")
            .UseSetting("Subscriptions:SweepInterval", "1.00:00:00"));
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task An_expired_subscription_is_gone_at_once_and_its_row_after_a_sweep()
    {
        using var client = _factory.ClientWith(TestTokens.AppOnly("sweep-app", tweak: d => d.Expires = DateTime.UtcNow.AddDays(2)));
        string expiring = (await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "users/sweep-u1/notifications", TimeSpan.FromHours(1))))["id"]!.GetValue<string>();
        string lasting = (await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "users/sweep-u1/notifications", TimeSpan.FromDays(2))))["id"]!.GetValue<string>();

        service.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"subscriptions/{expiring}")).StatusCode);
        Assert.Equal([lasting], await client.SubscriptionIdsAsync());
        Assert.True(await RowExistsAsync(expiring));

        int removed = await _factory.Services.GetRequiredService<SubscriptionSweeper>().SweepOnceAsync(CancellationToken.None);

        Assert.True(removed >= 1, $"the sweep removed {removed}");
        Assert.False(await RowExistsAsync(expiring));
        Assert.True(await RowExistsAsync(lasting));
    }

    private async Task<bool> RowExistsAsync(string id)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphNotifications.Api.Storage.NotificationsDbContext>();
        return await db.Subscriptions.AnyAsync(s => s.Id == id);
    }
}

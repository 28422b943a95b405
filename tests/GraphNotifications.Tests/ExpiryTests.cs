using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Tests;

/// <summary>Expiry on the in-memory store (the sweeper loads and removes).</summary>
public sealed class InMemoryExpiryTests(InMemoryStoreFactory service) : ExpiryTests<InMemoryStoreFactory>(service), IClassFixture<InMemoryStoreFactory>;

/// <summary>Expiry on a SQLite file (the sweeper deletes a batch and logs it to the change log in one transaction).</summary>
public sealed class SqliteExpiryTests(SqliteStoreFactory service) : ExpiryTests<SqliteStoreFactory>(service), IClassFixture<SqliteStoreFactory>;

/// <summary>
/// A notification is gone from every read the moment it expires, and the expiry sweeper then deletes its row and
/// its links. The service's clock is a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> that the
/// tests move forward (2 hours per test, so that the fixture's daily sweeper never fires by itself).
/// </summary>
public abstract class ExpiryTests<TFactory>(TFactory service) where TFactory : StoreServiceFactory
{
    private static readonly TimeSpan Step = TimeSpan.FromHours(2);

    [Fact]
    public async Task An_expired_notification_is_gone_from_every_read_at_once_and_from_the_store_after_one_sweep()
    {
        var app = service.AppOnly("expiry-app-1");
        var user = service.Delegated("expiry-u1", "expiry-app-1");
        string id = await app.CreateAsync("users/expiry-u1/notifications", ExpiringIn(TimeSpan.FromHours(1)));
        string live = await app.CreateAsync("users/expiry-u1/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync("users/expiry-u2/notifications/$ref", Bodies.Reference(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"me/notifications/{id}")).StatusCode);

        service.Clock.Advance(Step);

        foreach (string path in new[] { $"notifications/{id}", $"users/expiry-u1/notifications/{id}", $"users/expiry-u2/notifications('{id}')" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"me/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"me/notifications/{id}", ifNoneMatch: "*")).StatusCode);
        Assert.Equal([live], await user.IdsAsync("me/notifications"));
        Assert.Equal([live], await app.IdsAsync("users/expiry-u1/notifications"));
        Assert.Empty(await app.IdsAsync("users/expiry-u2/notifications"));
        Assert.DoesNotContain(id, await app.IdsAsync("notifications"));
        var refs = (await app.ReadNotificationAsync("users/expiry-u1/notifications/$ref"))["value"]!.AsArray();
        Assert.Equal([$"http://localhost/v1.0/notifications('{live}')"], refs.Select(r => r!["@odata.id"]!.GetValue<string>()));
        Assert.True(await service.RowExistsAsync(id));
        Assert.Equal(2, await service.LinkCountAsync(id));

        int removed = await service.SweepAsync();

        Assert.True(removed >= 1, $"the sweep removed {removed}");
        Assert.False(await service.RowExistsAsync(id));
        Assert.Equal(0, await service.LinkCountAsync(id));
        Assert.True(await service.RowExistsAsync(live));
        Assert.Equal(1, await service.LinkCountAsync(live));
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"me/notifications/{live}")).StatusCode);
    }

    [Fact]
    public async Task An_expired_notification_cannot_be_changed_deleted_or_linked()
    {
        var app = service.AppOnly("expiry-app-2");
        string id = await app.CreateAsync("notifications", ExpiringIn(TimeSpan.FromHours(1)));

        service.Clock.Advance(Step);

        Assert.Equal(HttpStatusCode.NotFound, (await app.PatchAsync($"notifications/{id}", new JsonObject { ["groupName"] = "late" }, ifMatch: "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.DeleteAsync($"notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostAsync("users/expiry-u3/notifications/$ref", Bodies.Reference(id))).StatusCode);
        Assert.Equal(0, await service.LinkCountAsync(id));
    }

    [Fact]
    public async Task A_sweep_deletes_in_batches_until_none_is_full_and_leaves_live_notifications()
    {
        // The fixture's batch size is 2: five expired notifications take three batches.
        var app = service.AppOnly("expiry-app-3");
        var expiring = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            expiring.Add(await app.CreateAsync("users/expiry-u4/notifications", ExpiringIn(TimeSpan.FromMinutes(30 + i))));
        }

        string live = await app.CreateAsync("users/expiry-u4/notifications", ExpiringIn(TimeSpan.FromHours(3)));
        service.Clock.Advance(Step);

        int firstBatch = await service.InStoreAsync(async db =>
        {
            var store = new NotificationStore(db, service.Clock);
            return await store.DeleteExpiredAsync(batchSize: 2, CancellationToken.None);
        });
        int rest = await service.SweepAsync();

        Assert.Equal(2, firstBatch);
        Assert.True(rest >= 3, $"the sweep removed {rest}");
        foreach (string id in expiring)
        {
            Assert.False(await service.RowExistsAsync(id));
            Assert.Equal(0, await service.LinkCountAsync(id));
        }

        Assert.True(await service.RowExistsAsync(live));
        Assert.Equal(0, await service.SweepAsync());
    }

    [Fact]
    public async Task The_expiry_rules_follow_the_services_clock()
    {
        var app = service.AppOnly("expiry-app-4");
        string id = await app.CreateAsync("notifications");
        service.Clock.Advance(Step);
        var now = service.Clock.GetUtcNow();

        var tooLate = await app.PatchAsync($"notifications/{id}", new JsonObject { ["expirationDateTime"] = Format(now.AddDays(30).AddMinutes(1)) });
        var past = await app.PatchAsync($"notifications/{id}", new JsonObject { ["expirationDateTime"] = Format(now.AddMinutes(-1)) });
        var latest = await app.PatchAsync($"notifications/{id}", new JsonObject { ["expirationDateTime"] = Format(now.AddDays(30).AddMinutes(-1)) });

        Assert.Equal(HttpStatusCode.BadRequest, tooLate.StatusCode);
        Assert.Equal(["expirationDateTime"], (await tooLate.ReadObjectAsync()).ErrorTargets());
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, latest.StatusCode);
    }

    [Fact]
    public async Task A_notification_whose_expiry_is_moved_ahead_by_a_patch_outlives_its_first_expiry()
    {
        var app = service.AppOnly("expiry-app-5");
        string id = await app.CreateAsync("notifications", ExpiringIn(TimeSpan.FromHours(1)));

        var moved = await app.PatchAsync($"notifications/{id}", new JsonObject { ["expirationDateTime"] = Format(service.Clock.GetUtcNow().AddHours(3)) });
        service.Clock.Advance(Step);
        await service.SweepAsync();

        Assert.Equal(HttpStatusCode.NoContent, moved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"notifications/{id}")).StatusCode);
    }

    [Fact]
    public async Task Every_feed_of_a_notification_and_its_badge_follow_an_expiry_a_patch_moves()
    {
        var app = service.AppOnly("expiry-app-7");
        var user = service.Delegated("expiry-u7", "expiry-app-7");
        string extended = await app.CreateAsync("users/expiry-u7/notifications", ExpiringIn(TimeSpan.FromHours(1)));
        string shortened = await app.CreateAsync("users/expiry-u7/notifications", ExpiringIn(TimeSpan.FromHours(3)));
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync("users/expiry-u8/notifications/$ref", Bodies.Reference(extended))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync("users/expiry-u8/notifications/$ref", Bodies.Reference(shortened))).StatusCode);

        // One through the app's view, one through a recipient's feed: either way every feed takes the new expiry.
        var now = service.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"notifications/{extended}", new JsonObject { ["expirationDateTime"] = Format(now.AddHours(3)) })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await user.PatchAsync($"me/notifications/{shortened}", new JsonObject { ["expirationDateTime"] = Format(now.AddHours(1)) })).StatusCode);
        service.Clock.Advance(Step);

        Assert.Equal([extended], await user.IdsAsync("me/notifications"));
        Assert.Equal([extended], await app.IdsAsync("users/expiry-u8/notifications"));
        Assert.Equal([extended], await app.IdsAsync("users/expiry-u8/notifications?$filter=readState eq 'unread'"));
        foreach (string feed in new[] { "users/expiry-u7", "users/expiry-u8" })
        {
            var badge = await app.GetAsync($"{feed}/notifications/$count?$filter=readState eq 'unread'");
            Assert.Equal("1", await badge.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await user.PostAsync("me/notifications/microsoft.graph.markAllAsRead", new JsonObject())).StatusCode);
        Assert.Equal("0", await (await user.GetAsync("me/notifications/$count?$filter=readState eq 'unread'")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_background_sweeper_runs_at_its_interval()
    {
        await using var host = service.WithWebHostBuilder(web => web.UseSetting("Storage:ExpirySweep:Interval", "00:01:00"));
        var app = host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost/v1.0/") });
        app.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.AppOnly("expiry-app-6", tweak: d => d.Expires = DateTime.UtcNow.AddDays(2)));
        string id = await app.CreateAsync("users/expiry-u6/notifications", ExpiringIn(TimeSpan.FromHours(1)));

        service.Clock.Advance(Step);

        bool gone = false;
        for (int i = 0; i < 100 && !gone; i++)
        {
            await using var scope = host.Services.CreateAsyncScope();
            gone = !await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Notifications.AsNoTracking().AnyAsync(n => n.Id == id);
            if (!gone)
            {
                await Task.Delay(100);
            }
        }

        Assert.True(gone, "the background sweeper did not delete the expired notification within 10 seconds");
    }

    private JsonObject ExpiringIn(TimeSpan lifetime)
    {
        var body = Bodies.Minimal();
        body["expirationDateTime"] = Format(service.Clock.GetUtcNow() + lifetime);
        return body;
    }

    private static string Format(DateTimeOffset instant) => instant.ToString("O", CultureInfo.InvariantCulture);

}

/// <summary>The sweeper's settings: defaults, and start-up refusing values out of range.</summary>
public sealed class ExpirySweepSettingsTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public void The_sweeper_runs_as_a_hosted_service_every_minute_in_batches_of_500_by_default()
    {
        var options = service.Services.GetRequiredService<IOptions<ExpirySweepOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(1), options.Interval);
        Assert.Equal(500, options.BatchSize);
        Assert.Single(service.Services.GetServices<IHostedService>().OfType<ExpirySweeper>());
    }

    [Theory]
    [InlineData("Storage:ExpirySweep:BatchSize", "0", "BatchSize")]
    [InlineData("Storage:ExpirySweep:BatchSize", "10001", "BatchSize")]
    [InlineData("Storage:ExpirySweep:Interval", "00:00:00", "Interval")]
    [InlineData("Storage:ExpirySweep:Interval", "2.00:00:00", "Interval")]
    public void A_setting_out_of_range_stops_the_service_at_start_up(string key, string value, string named)
    {
        using var host = service.WithWebHostBuilder(web => web.UseSetting(key, value));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}

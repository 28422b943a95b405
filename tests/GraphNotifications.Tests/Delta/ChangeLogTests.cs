using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Delta;

/// <summary>The change log on EF Core's in-memory store.</summary>
public sealed class InMemoryChangeLogTests(ServiceFactory service) : ChangeLogTests<ServiceFactory>(service);

/// <summary>The change log on a SQLite file.</summary>
public sealed class SqliteChangeLogTests(SqliteServiceFactory service) : ChangeLogTests<SqliteServiceFactory>(service);

/// <summary>The change log on PostgreSQL; skipped where no server is configured (failed under CI).</summary>
public sealed class PostgresChangeLogTests : ChangeLogTests<PostgresServiceFactory>
{
    public PostgresChangeLogTests(PostgresServiceFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();
}

/// <summary>
/// Every change to a feed leaves one entry per feed in the change log, written with the change, and nothing else
/// does: each test makes changes through the API and reads the log beside the service. Each test uses its own app.
/// </summary>
public abstract class ChangeLogTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{
    [SkippableFact]
    public async Task Create_link_patch_dismiss_and_delete_are_logged_once_per_feed_in_the_order_made()
    {
        var app = service.AppOnly("changelog-app-1");
        string unlinked = await app.CreateAsync("notifications");
        string id = await app.CreateAsync("users/changelog-u1/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync("users/changelog-u2/notifications/$ref", Bodies.Reference(id))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync("users/changelog-u2/notifications/$ref", Bodies.Reference(id))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"notifications/{id}", new JsonObject { ["groupName"] = "g" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync($"users/changelog-u2/notifications/{id}/$ref")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync($"notifications/{id}")).StatusCode);

        var entries = await EntriesAsync("changelog-app-1");

        Assert.Equal(
            [
                ("changelog-u1", id, FeedChangeType.Created, (RemovedReason?)null),
                ("changelog-u2", id, FeedChangeType.Created, null),
                ("changelog-u1", id, FeedChangeType.Updated, null),
                ("changelog-u2", id, FeedChangeType.Updated, null),
                ("changelog-u2", id, FeedChangeType.Deleted, RemovedReason.Changed),
                ("changelog-u1", id, FeedChangeType.Deleted, RemovedReason.Deleted),
            ],
            entries.Select(e => (e.UserId, e.NotificationId, e.ChangeType, e.RemovedReason)));
        Assert.DoesNotContain(entries, e => e.NotificationId == unlinked);
        Assert.All(entries, e => Assert.Equal("default", e.TenantId));
        Assert.Equal(entries.Select(e => e.Sequence).Order(), entries.Select(e => e.Sequence));
        Assert.Equal(entries.Count, entries.Select(e => e.Sequence).Distinct().Count());
    }

    [SkippableFact]
    public async Task A_patch_through_me_logs_every_feed_that_holds_the_notification()
    {
        var app = service.AppOnly("changelog-app-2");
        var user = service.Delegated("changelog-u3", "changelog-app-2");
        string id = await user.CreateAsync("me/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync("users/changelog-u4/notifications/$ref", Bodies.Reference(id))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await user.PatchAsync($"me/notifications/{id}", new JsonObject { ["groupName"] = "g" })).StatusCode);

        var updated = (await EntriesAsync("changelog-app-2")).Where(e => e.ChangeType == FeedChangeType.Updated);
        Assert.Equal(["changelog-u3", "changelog-u4"], updated.Select(e => e.UserId).Order());
    }

    [SkippableFact]
    public async Task An_expired_notification_is_logged_as_deleted_from_each_feed_when_the_sweeper_removes_it()
    {
        var app = service.AppOnly("changelog-app-3");
        string id = await app.CreateAsync("users/changelog-u5/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync("users/changelog-u6/notifications/$ref", Bodies.Reference(id))).StatusCode);
        await ExpireAsync(id);

        await service.Services.GetRequiredService<ExpirySweeper>().SweepOnceAsync(CancellationToken.None);

        var removed = (await EntriesAsync("changelog-app-3")).Where(e => e.ChangeType == FeedChangeType.Deleted).ToList();
        Assert.Equal(["changelog-u5", "changelog-u6"], removed.Select(e => e.UserId).Order());
        Assert.All(removed, e => Assert.Equal(RemovedReason.Deleted, e.RemovedReason));
        Assert.All(removed, e => Assert.Equal(id, e.NotificationId));
    }

    [SkippableFact]
    public async Task A_change_that_fails_logs_nothing()
    {
        var app = service.AppOnly("changelog-app-4");
        string id = await app.CreateAsync("users/changelog-u7/notifications");

        Assert.Equal(HttpStatusCode.PreconditionFailed, (await app.PatchAsync($"notifications/{id}", new JsonObject { ["groupName"] = "g" }, ifMatch: "W/\"9\"")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PatchAsync($"notifications/{id}", new JsonObject { ["payload"] = new JsonObject { ["visualContent"] = null } })).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await app.DeleteAsync($"notifications/{id}", ifMatch: "W/\"9\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.DeleteAsync($"users/changelog-u8/notifications/{id}/$ref")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostAsync("users/changelog-u8/notifications/$ref", Bodies.Reference("no-such-notification"))).StatusCode);

        Assert.Equal([FeedChangeType.Created], (await EntriesAsync("changelog-app-4")).Select(e => e.ChangeType));
    }

    [SkippableFact]
    public async Task Entries_carry_the_tenant_and_app_of_the_change()
    {
        var contoso = service.ClientWith(TestTokens.AppOnly("changelog-app-5", tweak: TestTokens.InTenant("changelog-contoso")));
        var fabrikam = service.ClientWith(TestTokens.AppOnly("changelog-app-5", tweak: TestTokens.InTenant("changelog-fabrikam")));
        string inContoso = await contoso.CreateAsync("users/changelog-u9/notifications");
        string inFabrikam = await fabrikam.CreateAsync("users/changelog-u9/notifications");

        var entries = await EntriesAsync("changelog-app-5");

        Assert.Equal([("changelog-contoso", inContoso), ("changelog-fabrikam", inFabrikam)], entries.Select(e => (e.TenantId, e.NotificationId)));
    }

    [SkippableFact]
    public async Task The_reader_returns_one_feeds_changes_after_a_position_and_the_high_water_mark_starts_after_everything_so_far()
    {
        var app = service.AppOnly("changelog-app-6");
        string first = await app.CreateAsync("users/changelog-u10/notifications");
        await app.CreateAsync("users/changelog-u11/notifications");
        ChangeLogPosition mark;
        await using (var scope = service.Services.CreateAsyncScope())
        {
            mark = await scope.ServiceProvider.GetRequiredService<ChangeLogReader>().HighWaterMarkAsync(CancellationToken.None);
        }

        string second = await app.CreateAsync("users/changelog-u10/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync($"notifications/{first}")).StatusCode);

        await using var reading = service.Services.CreateAsyncScope();
        var reader = reading.ServiceProvider.GetRequiredService<ChangeLogReader>();
        var scopeOfApp = new AppScope("default", "changelog-app-6");
        var all = await reader.FeedChangesAsync(scopeOfApp, "changelog-u10", ChangeLogPosition.Start, [], 100, CancellationToken.None);
        var since = await reader.FeedChangesAsync(scopeOfApp, "changelog-u10", mark, [], 100, CancellationToken.None);
        var otherApp = await reader.FeedChangesAsync(new AppScope("default", "changelog-app-1"), "changelog-u10", ChangeLogPosition.Start, [], 100, CancellationToken.None);

        Assert.Equal([first, second, first], all.Select(e => e.NotificationId));
        Assert.Equal([(second, FeedChangeType.Created), (first, FeedChangeType.Deleted)], since.Select(e => (e.NotificationId, e.ChangeType)));
        Assert.Empty(otherApp);
        Assert.Single(await reader.FeedChangesAsync(scopeOfApp, "changelog-u10", mark, [], 1, CancellationToken.None));
    }


    private Task<List<ChangeLogEntry>> EntriesAsync(string appId) => service.ChangeLogOfAsync(appId);

    /// <summary>Moves a notification's expiry into the past in the store, as if its time had come.</summary>
    private Task ExpireAsync(string id) => service.InStoreAsync(async db =>
    {
        var notification = await db.Notifications.SingleAsync(n => n.Id == id);
        notification.ExpirationDateTime = DateTimeOffset.UtcNow.AddMinutes(-1);
        return await db.SaveChangesAsync();
    });
}

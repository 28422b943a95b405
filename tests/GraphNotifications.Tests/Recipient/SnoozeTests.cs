using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static GraphNotifications.Tests.Delta.DeltaSync;

namespace GraphNotifications.Tests.Recipient;

/// <summary>Snoozes ending on EF Core's in-memory store.</summary>
public sealed class InMemorySnoozeTests(InMemoryStoreFactory service) : SnoozeTests<InMemoryStoreFactory>(service), IClassFixture<InMemoryStoreFactory>;

/// <summary>Snoozes ending on a SQLite file.</summary>
public sealed class SqliteSnoozeTests(SqliteStoreFactory service) : SnoozeTests<SqliteStoreFactory>(service), IClassFixture<SqliteStoreFactory>;

/// <summary>
/// A snoozed item comes back (<c>noInteraction</c>) when its <c>snoozedUntilDateTime</c> passes: the snooze sweeper
/// does it in the background, on the service's clock (a fake one here, moved by the tests), as one change.
/// </summary>
public abstract class SnoozeTests<TFactory>(TFactory service) where TFactory : StoreServiceFactory
{
    private SnoozeSweeper Sweeper => service.Services.GetRequiredService<SnoozeSweeper>();

    [Fact]
    public async Task A_snoozed_item_comes_back_when_its_time_passes_as_one_change_without_a_read()
    {
        string appId = "snooze-app-" + Guid.NewGuid().ToString("N")[..8];
        string user = "snooze-user";
        var app = service.AppOnly(appId);
        string id = await app.CreateAsync($"users/{user}/notifications");
        string url = $"users/{user}/notifications/{id}";
        var until = service.Clock.GetUtcNow().AddMinutes(10);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync(url,
            new JsonObject { ["userActionState"] = "snoozed", ["snoozedUntilDateTime"] = until.ToString("O") })).StatusCode);
        var initial = await FollowAsync(app, $"users/{user}/notifications/delta");

        // Not yet: a sweep a minute early ends nothing.
        service.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, await Sweeper.SweepOnceAsync(CancellationToken.None));
        Assert.Equal("snoozed", (await app.ReadNotificationAsync(url))["userActionState"]!.GetValue<string>());

        // Its time passes: the background sweep, on its interval, ends it; nobody reads it meanwhile.
        var ended = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSweep(int count)
        {
            if (count > 0)
            {
                ended.TrySetResult(count);
            }
        }

        Sweeper.SweepEnded += OnSweep;
        try
        {
            service.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(5));
            Assert.True(await ended.Task.WaitAsync(TimeSpan.FromSeconds(60)) >= 1);
        }
        finally
        {
            Sweeper.SweepEnded -= OnSweep;
        }

        var item = await app.ReadNotificationAsync(url);
        Assert.Equal(("noInteraction", "unread"), (item["userActionState"]!.GetValue<string>(), item["readState"]!.GetValue<string>()));
        Assert.Null(item["snoozedUntilDateTime"]);
        var changes = await FollowAsync(app, initial.DeltaLink);
        Assert.Equal("noInteraction", Assert.Single(changes.Items)["userActionState"]!.GetValue<string>());
        Assert.Single(await service.ChangeLogOfAsync(appId, e => e.ChangeType == FeedChangeType.Updated && e.NotificationId == id
            && e.Sequence > 0 && e.OccurredAt >= until.UtcTicks));
        Assert.Equal(0, await Sweeper.SweepOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Sweeps_running_at_once_end_each_snooze_once()
    {
        string appId = "snooze-app-" + Guid.NewGuid().ToString("N")[..8];
        var app = service.AppOnly(appId);
        var ids = new List<string>();
        var until = service.Clock.GetUtcNow().AddMinutes(1);
        for (int i = 0; i < 6; i++)
        {
            string id = await app.CreateAsync($"users/snooze-many-{i % 2}/notifications");
            Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"users/snooze-many-{i % 2}/notifications/{id}",
                new JsonObject { ["userActionState"] = "snoozed", ["snoozedUntilDateTime"] = until.ToString("O") })).StatusCode);
            ids.Add(id);
        }

        var before = (await service.ChangeLogOfAsync(appId)).Count;
        service.Clock.Advance(TimeSpan.FromMinutes(2));
        // As several instances would: separate scopes (contexts, connections), all at once.
        var sweeps = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var scope = service.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<NotificationStore>().ResurfaceSnoozedAsync(100, CancellationToken.None);
        })));
        // Whatever a sweep lost to a conflict, the next one takes; the background sweeper may have taken some too.
        while (await Sweeper.SweepOnceAsync(CancellationToken.None) > 0)
        {
        }

        var log = (await service.ChangeLogOfAsync(appId)).Skip(before).ToList();
        Assert.Equal(ids.Order(), log.Select(e => e.NotificationId).Order());
        Assert.All(log, e => Assert.Equal(FeedChangeType.Updated, e.ChangeType));
        Assert.True(sweeps.Sum() <= ids.Count);
    }
}

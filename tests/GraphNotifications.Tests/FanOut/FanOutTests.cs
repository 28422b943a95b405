using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static GraphNotifications.Tests.Delta.DeltaSync;

namespace GraphNotifications.Tests.FanOut;

/// <summary>Fan-out on EF Core's in-memory store.</summary>
public sealed class InMemoryFanOutTests(ServiceFactory service) : FanOutTests<ServiceFactory>(service);

/// <summary>Fan-out on a SQLite file, through the store's one writer.</summary>
public sealed class SqliteFanOutTests(SqliteServiceFactory service) : FanOutTests<SqliteServiceFactory>(service);

/// <summary>Fan-out on PostgreSQL; skipped where no server is configured (failed under CI).</summary>
public sealed class PostgresFanOutTests : FanOutTests<PostgresServiceFactory>
{
    public PostgresFanOutTests(PostgresServiceFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();
}

/// <summary>
/// <c>POST /notifications('{id}')/microsoft.graph.addRecipients</c> and <c>…/removeRecipients</c>: one call links a
/// notification into many feeds (or removes it from them), all or nothing, each link a change of its feed exactly as
/// <c>$ref</c> makes it.
/// </summary>
public abstract class FanOutTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{
    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private static JsonObject Recipients(IEnumerable<string> userIds) => new() { ["userIds"] = new JsonArray([.. userIds.Select(u => JsonValue.Create(u))]) };

    [SkippableFact]
    public async Task Each_named_user_gets_the_notification_unread_once_and_each_new_link_is_one_created_change()
    {
        string appId = NewId("fo-app");
        var app = service.AppOnly(appId);
        var (owner, already, a, b) = (NewId("fo-owner"), NewId("fo-already"), NewId("fo-a"), NewId("fo-b"));
        string id = await app.CreateAsync($"users/{owner}/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync($"users/{already}/notifications/$ref", Bodies.Reference(id))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"users/{already}/notifications/{id}", new JsonObject { ["readState"] = "read" })).StatusCode);
        var syncs = new Dictionary<string, string>();
        foreach (string user in (string[])[owner, already, a, b])
        {
            syncs[user] = (await FollowAsync(app, $"users/{user}/notifications/delta")).DeltaLink;
        }

        var response = await app.PostAsync($"notifications('{id}')/microsoft.graph.addRecipients", Recipients([a, b, a, already, owner, b]));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        foreach (string user in (string[])[a, b])
        {
            var item = await app.ReadNotificationAsync($"users/{user}/notifications/{id}");
            Assert.Equal("unread", item["readState"]!.GetValue<string>());
            Assert.Equal("noInteraction", item["userActionState"]!.GetValue<string>());
            var changes = await FollowUntilChangedAsync(app, syncs[user]);
            Assert.Equal([id], changes.Items.Select(Id));
            Assert.Null(Removed(changes.Items[0]));
        }

        // The feeds that held it already are left as they were: no change, and the recipient's state kept.
        Assert.Empty((await FollowAsync(app, syncs[owner])).Items);
        Assert.Empty((await FollowAsync(app, syncs[already])).Items);
        Assert.Equal("read", (await app.ReadNotificationAsync($"users/{already}/notifications/{id}"))["readState"]!.GetValue<string>());
        var log = await service.ChangeLogOfAsync(appId, e => e.NotificationId == id && e.ChangeType == FeedChangeType.Created);
        Assert.Equal(new[] { owner, already, a, b }.Order(StringComparer.Ordinal), log.Select(e => e.UserId).Order(StringComparer.Ordinal));

        // Again: nothing to do, still a 204, and no change anywhere.
        int logged = (await service.ChangeLogOfAsync(appId)).Count;
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync($"notifications/{id}/microsoft.graph.addRecipients", Recipients([a, b]))).StatusCode);
        Assert.Equal(logged, (await service.ChangeLogOfAsync(appId)).Count);
    }

    [SkippableFact]
    public async Task Ten_thousand_users_in_one_call_are_linked_and_removed()
    {
        string appId = NewId("fo-big-app");
        var app = service.AppOnly(appId);
        string id = await app.CreateAsync("notifications");
        string[] users = [.. Enumerable.Range(0, 10_000).Select(i => $"fo-big-{i:D5}-{Guid.NewGuid():N}")];
        string body = Recipients(users).ToJsonString();
        Assert.True(body.Length > 64 * 1024, "the body is larger than the service's usual limit");

        var response = await app.PostAsync($"notifications('{id}')/microsoft.graph.addRecipients", Bodies.Json(body));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(10_000, await service.InStoreAsync(db => db.Links.CountAsync(l => l.NotificationId == id)));
        Assert.Equal(10_000, (await service.ChangeLogOfAsync(appId, e => e.NotificationId == id && e.ChangeType == FeedChangeType.Created)).Count);
        Assert.Equal(id, Id((await app.ReadNotificationAsync($"users/{users[9_999]}/notifications"))["value"]!.AsArray()[0]!.AsObject()));

        var removed = await app.PostAsync($"notifications('{id}')/microsoft.graph.removeRecipients", Bodies.Json(body));

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(0, await service.InStoreAsync(db => db.Links.CountAsync(l => l.NotificationId == id)));
        Assert.Equal(10_000, (await service.ChangeLogOfAsync(appId, e => e.NotificationId == id && e.ChangeType == FeedChangeType.Deleted)).Count);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"notifications/{id}")).StatusCode);
    }

    [SkippableFact]
    public async Task An_id_that_is_not_a_user_id_is_a_400_naming_it_and_nobody_is_linked()
    {
        string appId = NewId("fo-bad-app");
        var app = service.AppOnly(appId);
        string id = await app.CreateAsync("notifications");
        string good = NewId("fo-good");
        string tooLong = new('x', 129);
        var body = new JsonObject { ["userIds"] = new JsonArray(good, tooLong, "", 7, null, "ok\u0000") };

        var response = await app.PostAsync($"notifications('{id}')/microsoft.graph.addRecipients", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal("badRequest", error.ErrorCode());
        Assert.Equal(["userIds/1", "userIds/2", "userIds/3", "userIds/4", "userIds/5"], error.ErrorTargets());
        Assert.Contains(tooLong[..64], error.ErrorMessage(), StringComparison.Ordinal);
        Assert.Equal(0, await service.InStoreAsync(db => db.Links.CountAsync(l => l.NotificationId == id)));
        Assert.Empty(await service.ChangeLogOfAsync(appId));
        Assert.Empty((await app.ReadNotificationAsync($"users/{good}/notifications"))["value"]!.AsArray());
    }

    [SkippableTheory]
    [InlineData("""{}""", "userIds")]
    [InlineData("""{"userIds": null}""", "userIds")]
    [InlineData("""{"userIds": "a"}""", "userIds")]
    [InlineData("""{"userIds": ["a"], "notify": true}""", "notify")]
    [InlineData("""{"userIds": [["a"]]}""", "userIds/0")]
    public async Task A_body_that_is_not_a_list_of_user_ids_is_a_400_naming_what_is_wrong(string body, string target)
    {
        var app = service.AppOnly(NewId("fo-body-app"));
        string id = await app.CreateAsync("notifications");

        var response = await app.PostAsync($"notifications('{id}')/microsoft.graph.addRecipients", Bodies.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(target, (await response.ReadObjectAsync()).ErrorTargets());
        Assert.Equal(0, await service.InStoreAsync(db => db.Links.CountAsync(l => l.NotificationId == id)));
    }

    [SkippableFact]
    public async Task Another_app_another_tenant_an_unknown_or_deleted_notification_is_a_404_as_for_ref_and_a_user_gets_403()
    {
        string appId = NewId("fo-who-app");
        var app = service.AppOnly(appId);
        string id = await app.CreateAsync("notifications");
        string deleted = await app.CreateAsync("notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync($"notifications/{deleted}")).StatusCode);
        var body = Recipients([NewId("fo-who-user")]);
        var intruders = new[]
        {
            service.AppOnly(NewId("fo-other-app")),
            service.ClientWith(TestTokens.AppOnly(appId, tweak: d => d.Claims["tid"] = "fo-other-tenant")),
        };

        foreach (string action in (string[])["addRecipients", "removeRecipients"])
        {
            foreach (var intruder in intruders)
            {
                var refused = await intruder.PostAsync($"notifications('{id}')/microsoft.graph.{action}", body);
                Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
                Assert.Equal("notFound", (await refused.ReadObjectAsync()).ErrorCode());
                // The same answer $ref gives the intruder.
                Assert.Equal(HttpStatusCode.NotFound, (await intruder.PostAsync($"users/x/notifications/$ref", Bodies.Reference(id))).StatusCode);
            }

            Assert.Equal(HttpStatusCode.NotFound, (await app.PostAsync($"notifications('{deleted}')/microsoft.graph.{action}", body)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await app.PostAsync($"notifications('{Guid.NewGuid()}')/microsoft.graph.{action}", body)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden,
                (await service.Delegated(NewId("fo-who-user"), appId).PostAsync($"notifications('{id}')/microsoft.graph.{action}", body)).StatusCode);
        }

        Assert.Equal(0, await service.InStoreAsync(db => db.Links.CountAsync(l => l.NotificationId == id)));
    }

    [SkippableFact]
    public async Task Removing_takes_it_out_of_each_named_feed_only_each_a_dismissal_and_it_lives_on()
    {
        string appId = NewId("fo-rm-app");
        var app = service.AppOnly(appId);
        var (a, b, c, never) = (NewId("fo-rm-a"), NewId("fo-rm-b"), NewId("fo-rm-c"), NewId("fo-rm-never"));
        string id = await app.CreateAsync("notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync($"notifications('{id}')/microsoft.graph.addRecipients", Recipients([a, b, c]))).StatusCode);
        string syncA = (await FollowAsync(app, $"users/{a}/notifications/delta")).DeltaLink;
        string syncC = (await FollowAsync(app, $"users/{c}/notifications/delta")).DeltaLink;

        var response = await app.PostAsync($"notifications('{id}')/microsoft.graph.removeRecipients", Recipients([a, b, a, never]));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"users/{a}/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"users/{b}/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"users/{c}/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"notifications/{id}")).StatusCode);
        var changes = await FollowUntilChangedAsync(app, syncA);
        Assert.Equal([id], changes.Items.Select(Id));
        Assert.Equal("changed", Removed(changes.Items[0]));
        Assert.Empty((await FollowAsync(app, syncC)).Items);
        var removals = await service.ChangeLogOfAsync(appId, e => e.ChangeType == FeedChangeType.Deleted);
        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), removals.Select(e => e.UserId).Order(StringComparer.Ordinal));
        Assert.All(removals, e => Assert.Equal(RemovedReason.Changed, e.RemovedReason));

        // Linked again later, as after DELETE …/$ref.
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync($"notifications('{id}')/microsoft.graph.addRecipients", Recipients([a]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"users/{a}/notifications/{id}")).StatusCode);
    }

    [SkippableFact]
    public async Task The_fan_out_body_limit_admits_a_large_list_here_only_and_the_count_has_its_own_limit()
    {
        var app = service.AppOnly(NewId("fo-limit-app"));
        string id = await app.CreateAsync("notifications");
        // Past the fan-out's 4 MiB: 413 before anything is read.
        string huge = Recipients(Enumerable.Range(0, 40_000).Select(i => $"fo-limit-{i:D6}-{new string('u', 100)}")).ToJsonString();
        Assert.True(Encoding.UTF8.GetByteCount(huge) > 4 * 1024 * 1024);

        var tooLarge = await app.PostAsync($"notifications('{id}')/microsoft.graph.addRecipients", Bodies.Json(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("payloadTooLarge", (await tooLarge.ReadObjectAsync()).ErrorCode());

        // Within the bytes, past the count: a 400 that says how many a call takes.
        string many = Recipients(Enumerable.Range(0, 10_001).Select(i => $"u{i}")).ToJsonString();
        var tooMany = await app.PostAsync($"notifications('{id}')/microsoft.graph.addRecipients", Bodies.Json(many));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("10000", (await tooMany.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);

        // Other routes keep the service's limit of 64 KiB.
        var reference = new JsonObject { ["@odata.id"] = $"notifications('{id}')", ["padding"] = new string('p', 70 * 1024) };
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await app.PostAsync("users/fo-limit-user/notifications/$ref", reference)).StatusCode);
        Assert.Equal(0, await service.InStoreAsync(db => db.Links.CountAsync(l => l.NotificationId == id)));
    }
}

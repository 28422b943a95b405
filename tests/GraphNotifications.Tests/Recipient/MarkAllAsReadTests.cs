using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using static GraphNotifications.Tests.Delta.DeltaSync;

namespace GraphNotifications.Tests.Recipient;

/// <summary>markAllAsRead on EF Core's in-memory store.</summary>
public sealed class InMemoryMarkAllAsReadTests(ServiceFactory service) : MarkAllAsReadTests<ServiceFactory>(service);

/// <summary>markAllAsRead on a SQLite file.</summary>
public sealed class SqliteMarkAllAsReadTests(SqliteServiceFactory service) : MarkAllAsReadTests<SqliteServiceFactory>(service);

/// <summary>markAllAsRead on PostgreSQL; skipped where no server is configured (failed under CI).</summary>
public sealed class PostgresMarkAllAsReadTests : MarkAllAsReadTests<PostgresServiceFactory>
{
    public PostgresMarkAllAsReadTests(PostgresServiceFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();
}

/// <summary>
/// <c>POST …/notifications/microsoft.graph.markAllAsRead</c>: every unread item of one feed created at or before the
/// call (or <c>throughDateTime</c>) becomes read, each an updated change; nothing else moves.
/// </summary>
public abstract class MarkAllAsReadTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{
    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [SkippableFact]
    public async Task Everything_created_through_the_given_time_becomes_read_each_one_change_and_later_items_stay_unread()
    {
        string appId = NewId("mar-app");
        var (user, other) = (NewId("mar-user"), NewId("mar-other"));
        var app = service.AppOnly(appId);
        var created = new List<JsonObject>();
        for (int i = 0; i < 5; i++)
        {
            created.Add(await (await app.PostAsync($"users/{user}/notifications", Bodies.Minimal())).ReadObjectAsync());
        }

        var ids = created.Select(c => c["id"]!.GetValue<string>()).ToList();
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync($"users/{other}/notifications/$ref", Bodies.Reference(ids[0]))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"users/{user}/notifications/{ids[1]}", new JsonObject { ["readState"] = "read" })).StatusCode);
        var initial = await FollowAsync(app, $"users/{user}/notifications/delta");
        string through = created[2]["createdDateTime"]!.GetValue<string>();
        var client = service.Delegated(user, appId);

        var response = await client.PostAsync("me/notifications/microsoft.graph.markAllAsRead", new JsonObject { ["throughDateTime"] = through });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var feed = (await client.ReadNotificationAsync("me/notifications"))["value"]!.AsArray()
            .ToDictionary(n => n!["id"]!.GetValue<string>(), n => n!["readState"]!.GetValue<string>());
        Assert.Equal(["read", "read", "read", "unread", "unread"], ids.Select(id => feed[id]));
        Assert.Equal("unread", (await app.ReadNotificationAsync($"users/{other}/notifications/{ids[0]}"))["readState"]!.GetValue<string>());
        var changes = await FollowAsync(app, initial.DeltaLink);
        Assert.Equal(new[] { ids[0], ids[2] }.Order(), changes.Items.Select(Id).Order());
        Assert.All(changes.Items, item => Assert.Equal("read", item["readState"]!.GetValue<string>()));
        Assert.Equal("2", await (await client.GetAsync("me/notifications/$count?$filter=readState eq 'unread'")).Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Without_a_body_it_marks_the_whole_feed_and_an_app_marks_a_users_feed_on_its_path()
    {
        string appId = NewId("mar-app");
        string user = NewId("mar-user");
        var app = service.AppOnly(appId);
        for (int i = 0; i < 3; i++)
        {
            await app.CreateAsync($"users/{user}/notifications");
        }

        var response = await app.PostAsync($"users/{user}/notifications/microsoft.graph.markAllAsRead", new StringContent(string.Empty));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("0", await (await app.GetAsync($"users/{user}/notifications/$count?$filter=readState eq 'unread'")).Content.ReadAsStringAsync());
        Assert.Equal("3", await (await app.GetAsync($"users/{user}/notifications/$count?$filter=readState eq 'read'")).Content.ReadAsStringAsync());
        // Again: nothing left to mark, still a 204.
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync($"users/{user}/notifications/markAllAsRead", new JsonObject())).StatusCode);
    }

    [SkippableTheory]
    [InlineData("""{"throughDateTime": "yesterday"}""", "throughDateTime")]
    [InlineData("""{"throughDateTime": 5}""", "throughDateTime")]
    [InlineData("""{"through": "2026-01-01T00:00:00Z"}""", "through")]
    [InlineData("""[]""", null)]
    [InlineData("""{"throughDateTime": """, null)]
    public async Task A_bad_body_is_a_400_and_marks_nothing(string body, string? target)
    {
        string appId = NewId("mar-app");
        string user = NewId("mar-user");
        var app = service.AppOnly(appId);
        await app.CreateAsync($"users/{user}/notifications");

        var response = await app.PostAsync($"users/{user}/notifications/microsoft.graph.markAllAsRead", Bodies.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        if (target is not null)
        {
            Assert.Contains(target, error.ErrorTargets());
        }

        Assert.Equal("1", await (await app.GetAsync($"users/{user}/notifications/$count?$filter=readState eq 'unread'")).Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task The_entity_set_is_nobodys_feed_and_refuses_it()
    {
        var app = service.AppOnly(NewId("mar-app"));
        await app.CreateAsync("notifications");

        var response = await app.PostAsync("notifications/microsoft.graph.markAllAsRead", new JsonObject());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nobody's feed", (await response.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
    }
}

/// <summary>markAllAsRead in batches smaller than the feed: the same result as one batch.</summary>
public sealed class MarkAllAsReadBatchTests
{
    [Fact]
    public async Task A_feed_larger_than_a_batch_is_marked_whole_and_an_item_created_after_the_cut_off_is_not()
    {
        using var service = new SqliteServiceFactory { Settings = [("RecipientState:MarkAllAsReadBatchSize", "3")] };
        var app = service.AppOnly("mar-batch-app");
        var ids = new List<string>();
        for (int i = 0; i < 10; i++)
        {
            ids.Add(await app.CreateAsync("users/mar-batch-user/notifications"));
        }

        var cutoff = DateTimeOffset.UtcNow;
        string later = await app.CreateAsync("users/mar-batch-user/notifications");
        var response = await app.PostAsync("users/mar-batch-user/notifications/microsoft.graph.markAllAsRead",
            new JsonObject { ["throughDateTime"] = cutoff.ToString("O") });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var unread = (await app.ReadNotificationAsync("users/mar-batch-user/notifications?$filter=readState eq 'unread'"))["value"]!.AsArray();
        Assert.Equal([later], unread.Select(n => n!["id"]!.GetValue<string>()));
        var log = await service.ChangeLogOfAsync("mar-batch-app", e => e.ChangeType == Api.Storage.ChangeLog.FeedChangeType.Updated);
        Assert.Equal(ids.Order(), log.Select(e => e.NotificationId).Order());
    }
}

using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using static GraphNotifications.Tests.Delta.DeltaSync;

namespace GraphNotifications.Tests.Recipient;

/// <summary>The recipient's state on EF Core's in-memory store.</summary>
public sealed class InMemoryRecipientStateTests(ServiceFactory service) : RecipientStateTests<ServiceFactory>(service);

/// <summary>The recipient's state on a SQLite file.</summary>
public sealed class SqliteRecipientStateTests(SqliteServiceFactory service) : RecipientStateTests<SqliteServiceFactory>(service);

/// <summary>The recipient's state on PostgreSQL; skipped where no server is configured (failed under CI).</summary>
public sealed class PostgresRecipientStateTests : RecipientStateTests<PostgresServiceFactory>
{
    public PostgresRecipientStateTests(PostgresServiceFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();
}

/// <summary>
/// Each recipient's read and action state of a notification (docs/recipient.md): kept per feed, changed with PATCH on
/// the feed's path, shown through feeds and never through /notifications, with an entity tag in a feed that covers
/// both the content and that recipient's state.
/// </summary>
public abstract class RecipientStateTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{
    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [SkippableFact]
    public async Task A_new_item_is_unread_with_no_interaction_in_the_feed_and_has_no_state_in_notifications()
    {
        string user = NewId("rs-user");
        var app = service.AppOnly(NewId("rs-app"));
        var created = await (await app.PostAsync($"users/{user}/notifications", Bodies.Minimal())).ReadObjectAsync();
        string id = created["id"]!.GetValue<string>();
        Assert.Equal("unread", created["readState"]?.GetValue<string>());
        Assert.Equal("noInteraction", created["userActionState"]?.GetValue<string>());

        var inFeed = await app.ReadNotificationAsync($"users/{user}/notifications/{id}");
        var inSet = await app.ReadNotificationAsync($"notifications/{id}");

        Assert.Equal("unread", inFeed["readState"]!.GetValue<string>());
        Assert.Equal("noInteraction", inFeed["userActionState"]!.GetValue<string>());
        Assert.Null(inFeed["snoozedUntilDateTime"]);
        Assert.Equal(inFeed["createdDateTime"]!.GetValue<DateTimeOffset>(), inSet["createdDateTime"]!.GetValue<DateTimeOffset>());
        Assert.True(DateTimeOffset.UtcNow - inSet["createdDateTime"]!.GetValue<DateTimeOffset>() < TimeSpan.FromHours(1));
        Assert.Null(inSet["readState"]);
        Assert.Null(inSet["userActionState"]);
        Assert.Equal($"notifications('{id}')", new Uri(inFeed["@odata.id"]?.GetValue<string>() ?? $"http://x/v1.0/notifications('{id}')").Segments[^1]);
        Assert.Equal("W/\"1.1\"", inFeed["@odata.etag"]!.GetValue<string>());
        Assert.Equal("W/\"1\"", inSet["@odata.etag"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Two_users_on_one_notification_keep_independent_states()
    {
        string appId = NewId("rs-app");
        var (alice, bob) = (NewId("alice"), NewId("bob"));
        var app = service.AppOnly(appId);
        string id = await app.CreateAsync($"users/{alice}/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync($"users/{bob}/notifications/$ref", Bodies.Reference(id))).StatusCode);
        var aliceClient = service.Delegated(alice, appId);
        var bobClient = service.Delegated(bob, appId);

        Assert.Equal(HttpStatusCode.NoContent, (await aliceClient.PatchAsync($"me/notifications/{id}", new JsonObject { ["userActionState"] = "activated" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await bobClient.PatchAsync($"me/notifications/{id}", new JsonObject { ["userActionState"] = "dismissed", ["readState"] = "unread" })).StatusCode);

        var seenByAlice = await aliceClient.ReadNotificationAsync($"me/notifications/{id}");
        var seenByBob = await bobClient.ReadNotificationAsync($"me/notifications/{id}");
        Assert.Equal(("read", "activated"), (seenByAlice["readState"]!.GetValue<string>(), seenByAlice["userActionState"]!.GetValue<string>()));
        Assert.Equal(("unread", "dismissed"), (seenByBob["readState"]!.GetValue<string>(), seenByBob["userActionState"]!.GetValue<string>()));
        // The content is one: its version did not move; the state's did, for each alone.
        Assert.Equal("W/\"1.2\"", seenByAlice["@odata.etag"]!.GetValue<string>());
        Assert.Equal("W/\"1.2\"", seenByBob["@odata.etag"]!.GetValue<string>());
        Assert.Null((await app.ReadNotificationAsync($"notifications/{id}"))["readState"]);
        Assert.Equal("W/\"1\"", (await app.ReadNotificationAsync($"notifications/{id}"))["@odata.etag"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Dismissed_keeps_the_item_in_the_feed_and_removing_the_ref_takes_it_out()
    {
        string appId = NewId("rs-app");
        string user = NewId("rs-user");
        var app = service.AppOnly(appId);
        string id = await app.CreateAsync($"users/{user}/notifications");
        var client = service.Delegated(user, appId);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsync($"me/notifications/{id}", new JsonObject { ["userActionState"] = "dismissed" })).StatusCode);
        var feed = (await client.ReadNotificationAsync("me/notifications"))["value"]!.AsArray();
        Assert.Equal("dismissed", Assert.Single(feed)!["userActionState"]!.GetValue<string>());
        Assert.Equal("read", feed[0]!["readState"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"me/notifications/{id}/$ref")).StatusCode);
        Assert.Empty((await client.ReadNotificationAsync("me/notifications"))["value"]!.AsArray());
    }

    [SkippableFact]
    public async Task A_state_patch_can_return_the_item_and_a_content_patch_in_the_same_body_changes_the_content_for_everyone()
    {
        string appId = NewId("rs-app");
        var (user, other) = (NewId("rs-user"), NewId("rs-other"));
        var app = service.AppOnly(appId);
        string id = await app.CreateAsync($"users/{user}/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync($"users/{other}/notifications/$ref", Bodies.Reference(id))).StatusCode);

        var response = await app.PatchAsync($"users/{user}/notifications/{id}", new JsonObject { ["readState"] = "read", ["groupName"] = "g2" },
            prefer: "return=representation");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal(("read", "g2"), (body["readState"]!.GetValue<string>(), body["groupName"]!.GetValue<string>()));
        Assert.Equal("W/\"2.2\"", response.Headers.ETag?.ToString());
        var seenByOther = await app.ReadNotificationAsync($"users/{other}/notifications/{id}");
        Assert.Equal(("unread", "g2"), (seenByOther["readState"]!.GetValue<string>(), seenByOther["groupName"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task A_feed_tag_goes_stale_with_a_content_change_and_with_a_state_change_and_the_entity_set_tag_only_with_content()
    {
        string appId = NewId("rs-app");
        string user = NewId("rs-user");
        var app = service.AppOnly(appId);
        string id = await app.CreateAsync($"users/{user}/notifications");
        var phone = service.Delegated(user, appId);
        var laptop = service.Delegated(user, appId);
        string url = $"me/notifications/{id}";

        // Another device changes the state: the tag the phone read is stale for a state change too.
        string phoneTag = (await phone.ReadNotificationAsync(url))["@odata.etag"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await laptop.PatchAsync(url, new JsonObject { ["readState"] = "read" })).StatusCode);
        var stale = await phone.PatchAsync(url, new JsonObject { ["readState"] = "unread" }, ifMatch: phoneTag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("read", (await phone.ReadNotificationAsync(url))["readState"]!.GetValue<string>());

        // The app changes the content: the feed's tag is stale too, even for a state-only PATCH.
        phoneTag = (await phone.ReadNotificationAsync(url))["@odata.etag"]!.GetValue<string>();
        string setTag = (await app.ReadNotificationAsync($"notifications/{id}"))["@odata.etag"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"notifications/{id}", new JsonObject { ["groupName"] = "x" }, ifMatch: setTag)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await phone.PatchAsync(url, new JsonObject { ["userActionState"] = "activated" }, ifMatch: phoneTag)).StatusCode);

        // A state change leaves the entity set's tag (the content's alone) as it was.
        setTag = (await app.ReadNotificationAsync($"notifications/{id}"))["@odata.etag"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await phone.PatchAsync(url, new JsonObject { ["userActionState"] = "activated" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"notifications/{id}", new JsonObject { ["groupName"] = "y" }, ifMatch: setTag)).StatusCode);

        // And the current feed tag is accepted.
        phoneTag = (await phone.ReadNotificationAsync(url))["@odata.etag"]!.GetValue<string>();
        var current = await phone.PatchAsync(url, new JsonObject { ["readState"] = "unread" }, ifMatch: phoneTag);
        Assert.Equal(HttpStatusCode.NoContent, current.StatusCode);
        Assert.NotEqual(phoneTag, current.Headers.ETag?.ToString());
    }

    [SkippableTheory]
    [InlineData("""{"readState": "seen"}""", "readState")]
    [InlineData("""{"userActionState": "Activated"}""", "userActionState")]
    [InlineData("""{"readState": null}""", "readState")]
    [InlineData("""{"userActionState": "snoozed"}""", "snoozedUntilDateTime")]
    [InlineData("""{"userActionState": "snoozed", "snoozedUntilDateTime": "2001-01-01T00:00:00Z"}""", "snoozedUntilDateTime")]
    [InlineData("""{"userActionState": "snoozed", "snoozedUntilDateTime": "2999-01-01T00:00:00Z"}""", "snoozedUntilDateTime")]
    [InlineData("""{"snoozedUntilDateTime": "2999-01-01T00:00:00Z"}""", "snoozedUntilDateTime")]
    [InlineData("""{"createdDateTime": "2026-01-01T00:00:00Z"}""", "createdDateTime")]
    public async Task A_bad_state_patch_is_a_400_naming_the_property_and_changes_nothing(string body, string target)
    {
        string appId = NewId("rs-app");
        string user = NewId("rs-user");
        var app = service.AppOnly(appId);
        string id = await app.CreateAsync($"users/{user}/notifications");
        var client = service.Delegated(user, appId);

        var response = await client.PatchAsync($"me/notifications/{id}", JsonNode.Parse(body)!);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(target, (await response.ReadObjectAsync()).ErrorTargets());
        var item = await client.ReadNotificationAsync($"me/notifications/{id}");
        Assert.Equal(("unread", "noInteraction", "W/\"1.1\""), (item["readState"]!.GetValue<string>(), item["userActionState"]!.GetValue<string>(), item["@odata.etag"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task State_is_refused_where_there_is_no_recipient_and_createdDateTime_is_read_only_everywhere()
    {
        string appId = NewId("rs-app");
        string user = NewId("rs-user");
        var app = service.AppOnly(appId);
        string id = await app.CreateAsync($"users/{user}/notifications");
        var withState = Bodies.Minimal();
        withState["readState"] = "read";
        var withCreated = Bodies.Minimal();
        withCreated["createdDateTime"] = "2026-01-01T00:00:00Z";

        var patchSet = await app.PatchAsync($"notifications/{id}", new JsonObject { ["readState"] = "read" });
        var createInSet = await app.PostAsync("notifications", withState);
        var createInFeed = await app.PostAsync($"users/{user}/notifications", withState);
        var createdDate = await app.PostAsync("notifications", withCreated);

        Assert.All([patchSet, createInSet, createInFeed, createdDate], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal("readOnlyProperty", (await createdDate.ReadObjectAsync())["error"]!["details"]![0]!["code"]!.GetValue<string>());
        Assert.Single((await app.ReadNotificationAsync($"users/{user}/notifications"))["value"]!.AsArray());
        Assert.Equal("unread", (await app.ReadNotificationAsync($"users/{user}/notifications/{id}"))["readState"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Snoozing_sets_the_time_moving_it_needs_no_action_and_leaving_snoozed_clears_it()
    {
        string appId = NewId("rs-app");
        string user = NewId("rs-user");
        var app = service.AppOnly(appId);
        string id = await app.CreateAsync($"users/{user}/notifications");
        var client = service.Delegated(user, appId);
        string url = $"me/notifications/{id}";
        var until = DateTimeOffset.UtcNow.AddHours(2);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsync(url, new JsonObject { ["userActionState"] = "snoozed", ["snoozedUntilDateTime"] = until.ToString("O") })).StatusCode);
        var snoozed = await client.ReadNotificationAsync(url);
        Assert.Equal(("snoozed", "unread"), (snoozed["userActionState"]!.GetValue<string>(), snoozed["readState"]!.GetValue<string>()));
        Assert.Equal(until.UtcTicks / 10, snoozed["snoozedUntilDateTime"]!.GetValue<DateTimeOffset>().UtcTicks / 10);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsync(url, new JsonObject { ["snoozedUntilDateTime"] = until.AddHours(1).ToString("O") })).StatusCode);
        Assert.Equal(until.AddHours(1).UtcTicks / 10, (await client.ReadNotificationAsync(url))["snoozedUntilDateTime"]!.GetValue<DateTimeOffset>().UtcTicks / 10);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsync(url, new JsonObject { ["userActionState"] = "activated" })).StatusCode);
        var activated = await client.ReadNotificationAsync(url);
        Assert.Null(activated["snoozedUntilDateTime"]);
        Assert.Equal(("activated", "read"), (activated["userActionState"]!.GetValue<string>(), activated["readState"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task A_state_change_is_an_updated_change_in_that_recipients_delta_only_and_delta_pages_carry_the_state()
    {
        string appId = NewId("rs-app");
        var (user, other) = (NewId("rs-user"), NewId("rs-other"));
        var app = service.AppOnly(appId);
        string id = await app.CreateAsync($"users/{user}/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync($"users/{other}/notifications/$ref", Bodies.Reference(id))).StatusCode);
        var initial = await FollowAsync(app, $"users/{user}/notifications/delta");
        Assert.Equal("unread", Assert.Single(initial.Items)["readState"]!.GetValue<string>());
        var otherInitial = await FollowAsync(app, $"users/{other}/notifications/delta");

        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"users/{user}/notifications/{id}", new JsonObject { ["userActionState"] = "activated" })).StatusCode);
        // The same values again change nothing: no second change.
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"users/{user}/notifications/{id}", new JsonObject { ["userActionState"] = "activated" })).StatusCode);

        var changes = await FollowAsync(app, initial.DeltaLink);
        var item = Assert.Single(changes.Items);
        Assert.Equal(("read", "activated", "W/\"1.2\""), (item["readState"]!.GetValue<string>(), item["userActionState"]!.GetValue<string>(), item["@odata.etag"]!.GetValue<string>()));
        Assert.Empty((await FollowAsync(app, otherInitial.DeltaLink)).Items);
    }

    [SkippableFact]
    public async Task Filter_orderby_select_and_count_accept_the_four()
    {
        string appId = NewId("rs-app");
        string user = NewId("rs-user");
        var app = service.AppOnly(appId);
        var ids = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            ids.Add(await app.CreateAsync($"users/{user}/notifications"));
        }

        string feed = $"users/{user}/notifications";
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"{feed}/{ids[0]}", new JsonObject { ["readState"] = "read" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"{feed}/{ids[1]}", new JsonObject { ["userActionState"] = "dismissed" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"{feed}/{ids[2]}",
            new JsonObject { ["userActionState"] = "snoozed", ["snoozedUntilDateTime"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O") })).StatusCode);

        async Task<string[]> IdsAsync(string query) =>
            [.. (await app.ReadNotificationAsync($"{feed}?{query}"))["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>())];
        async Task<string> CountAsync(string filter) => await (await app.GetAsync($"{feed}/$count?$filter={filter}")).Content.ReadAsStringAsync();

        Assert.Equal(new[] { ids[2], ids[3] }.Order(), (await IdsAsync("$filter=readState eq 'unread'")).Order());
        Assert.Equal("2", await CountAsync("readState eq 'unread'"));
        Assert.Equal("1", await CountAsync("readState eq 'unread' and userActionState ne 'snoozed'"));
        Assert.Equal([ids[1]], await IdsAsync("$filter=userActionState eq microsoft.graph.notificationUserActionState'dismissed'"));
        Assert.Equal([ids[2]], await IdsAsync("$filter=snoozedUntilDateTime gt 2020-01-01T00:00:00Z"));
        Assert.Equal(4, (await IdsAsync($"$filter=createdDateTime le {DateTimeOffset.UtcNow.AddMinutes(5):yyyy-MM-ddTHH:mm:ssZ}")).Length);
        Assert.Equal([ids[0], ids[1], ids[2], ids[3]], await IdsAsync("$orderby=readState desc,createdDateTime"));
        Assert.Equal([ids[2], ids[3], ids[0], ids[1]], await IdsAsync("$orderby=readState,createdDateTime"));
        Assert.Equal([ids[0], ids[1], ids[2], ids[3]], await IdsAsync("$orderby=createdDateTime"));

        var selected = (await app.ReadNotificationAsync($"{feed}/{ids[0]}?$select=readState,userActionState,snoozedUntilDateTime,createdDateTime"));
        var page = (await app.ReadNotificationAsync($"{feed}?$select=readState,createdDateTime&$filter=id eq '{ids[0]}'"))["value"]![0]!.AsObject();
        Assert.Equal("read", page["readState"]!.GetValue<string>());
        Assert.NotNull(page["createdDateTime"]);
        Assert.Null(page["groupName"]);
        Assert.Equal("W/\"1.2\"", page["@odata.etag"]!.GetValue<string>());
        Assert.Equal("read", selected["readState"]!.GetValue<string>());
    }
}

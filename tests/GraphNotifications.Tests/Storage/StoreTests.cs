using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Storage;

/// <summary>
/// What the store itself must do, the same tests on each database the service runs on: SQLite in a temporary file
/// (<see cref="SqliteStoreTests"/>) and PostgreSQL (<see cref="PostgresStoreTests"/>), each class on a fresh database.
/// Every test uses its own app, so the tests of one class stay independent on their shared database.
/// </summary>
public abstract class StoreTests<TFactory> : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{
    private readonly TFactory _service;
    private readonly Type _context;

    /// <param name="service">The service on the database under test.</param>
    /// <param name="context">The provider's context type, which the service must be storing through.</param>
    protected StoreTests(TFactory service, Type context)
    {
        _service = service;
        _context = context;
    }

    [SkippableFact]
    public async Task The_service_stores_through_this_providers_context_and_migrations()
    {
        var (context, migrations) = await InStoreAsync(async db => (db.GetType(), (await db.Database.GetAppliedMigrationsAsync()).ToArray()));

        Assert.Equal(_context, context);
        Assert.Single(migrations, id => id.EndsWith("_InitialCreate", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_notification_created_through_me_reads_back_with_every_property_its_dynamic_properties_and_its_expiry_in_UTC()
    {
        var client = _service.Delegated("store-alice", "store-app-1");
        // An instant to the tick (7 decimals), written at +03:00.
        var expires = new DateTimeOffset(DateTime.UtcNow.AddDays(3).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond + 1_234_567, TimeSpan.Zero);
        var body = Bodies.CorrectedSeed(expires.ToOffset(TimeSpan.FromHours(3)));
        body["appNotificationId"] = "order-42";
        body["retryCount"] = 3;
        body["sequence"] = 9_007_199_254_740_993L;
        body["ratio"] = 0.25m;
        body["urgent"] = true;

        var response = await client.PostAsync("me/notifications", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadObjectAsync();
        string id = created["id"]!.GetValue<string>();

        var read = await ReadAsync(client, $"me/notifications/{id}");
        var listed = Assert.Single((await ReadAsync(client, "me/notifications"))["value"]!.AsArray());
        AssertSameProperties(read, listed!);
        // The 201 echoes the numbers as the OData reader typed them (Decimal); the store gives them back in the
        // narrowest type that holds them, so only the dynamic properties' type annotations may differ.
        AssertSameProperties(WithoutPropertyAnnotations(created), WithoutPropertyAnnotations(read));

        Assert.Equal("Target Host Name value", read["targetHostName"]!.GetValue<string>());
        Assert.Equal("Raw Content value", read["payload"]!["rawContent"]!.GetValue<string>());
        Assert.Equal("Title value", read["payload"]!["visualContent"]!["title"]!.GetValue<string>());
        Assert.Equal("Body value", read["payload"]!["visualContent"]!["body"]!.GetValue<string>());
        Assert.Equal(1, read["displayTimeToLive"]!.GetValue<int>());
        Assert.Equal("High", read["priority"]!.GetValue<string>());
        Assert.Equal("Group Name value", read["groupName"]!.GetValue<string>());
        Assert.Equal(["Platform Types value"], read["targetPolicy"]!["platformTypes"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("order-42", read["appNotificationId"]!.GetValue<string>());
        Assert.Equal(3, read["retryCount"]!.GetValue<int>());
        Assert.Null(read["retryCount@odata.type"]);
        Assert.Equal(9_007_199_254_740_993L, read["sequence"]!.GetValue<long>());
        Assert.Equal("#Int64", read["sequence@odata.type"]!.GetValue<string>());
        Assert.Equal(0.25m, read["ratio"]!.GetValue<decimal>());
        Assert.Equal("#Decimal", read["ratio@odata.type"]!.GetValue<string>());
        Assert.True(read["urgent"]!.GetValue<bool>());

        string expiry = read["expirationDateTime"]!.GetValue<string>();
        Assert.EndsWith("Z", expiry, StringComparison.Ordinal);
        Assert.Equal(expires, DateTimeOffset.Parse(expiry, CultureInfo.InvariantCulture));
        Assert.Equal(expires.UtcTicks, DateTimeOffset.Parse(expiry, CultureInfo.InvariantCulture).UtcTicks);
        var stored = await InStoreAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Id == id));
        Assert.Equal(TimeSpan.Zero, stored.ExpirationDateTime!.Value.Offset);
        Assert.Equal(expires.UtcTicks, stored.ExpirationDateTime.Value.UtcTicks);
    }

    [SkippableFact]
    public async Task A_sparse_notification_created_through_the_entity_set_reads_back_equal_and_is_in_nobodys_feed()
    {
        var app = _service.AppOnly("store-app-2");
        var body = new JsonObject
        {
            ["targetHostName"] = "contoso.example",
            ["payload"] = new JsonObject { ["rawContent"] = "raw only" },
        };
        var before = DateTimeOffset.UtcNow;

        var response = await app.PostAsync("notifications", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadObjectAsync();
        string id = created["id"]!.GetValue<string>();
        var read = await ReadAsync(app, $"notifications/{id}");
        AssertSameProperties(created, read);
        Assert.Equal("raw only", read["payload"]!["rawContent"]!.GetValue<string>());
        Assert.Null(read["payload"]!["visualContent"]);
        Assert.Null(read["priority"]);
        Assert.Null(read["groupName"]);
        var expires = DateTimeOffset.Parse(read["expirationDateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddDays(30).AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(30).AddSeconds(1));
        Assert.Contains(id, await IdsAsync(app, "notifications"));
        Assert.Empty(await IdsAsync(app, "users/store-nobody/notifications"));
    }

    [SkippableFact]
    public async Task The_feed_its_links_and_the_entity_set_list_newest_first()
    {
        var app = _service.AppOnly("store-app-3");
        var created = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            created.Add(await app.CreateAsync("users/store-carol/notifications", Bodies.Minimal($"Number {i}")));
        }

        string unlinked = await app.CreateAsync("notifications");

        string[] newestFirst = [.. Enumerable.Reverse(created)];
        string[] everyNewestFirst = [unlinked, .. newestFirst];
        Assert.Equal(newestFirst, await IdsAsync(app, "users/store-carol/notifications"));
        Assert.Equal(everyNewestFirst, await IdsAsync(app, "notifications"));
        Assert.Equal(newestFirst.Select(Url), await RefsAsync(app, "users/store-carol"));
    }

    [SkippableFact]
    public async Task Ref_links_a_notification_into_two_feeds_lists_the_links_and_dismisses_it_from_one_feed_only()
    {
        var app = _service.AppOnly("store-app-4");
        string id = await app.CreateAsync("notifications");

        await AssertStatusAsync(HttpStatusCode.NoContent, app.PostAsync("users/store-dave/notifications/$ref", Bodies.ReferenceTo(Url(id))));
        await AssertStatusAsync(HttpStatusCode.NoContent, app.PostAsync("users/store-dave/notifications/$ref", Bodies.ReferenceTo(Url(id))));
        await AssertStatusAsync(HttpStatusCode.NoContent, app.PostAsync("users/store-erin/notifications/$ref", Bodies.ReferenceTo($"notifications('{id}')")));
        Assert.Equal([Url(id)], await RefsAsync(app, "users/store-dave"));
        Assert.Equal([id], await IdsAsync(app, "users/store-erin/notifications"));

        await AssertStatusAsync(HttpStatusCode.NoContent, app.DeleteAsync($"users/store-dave/notifications/{id}/$ref"));

        Assert.Empty(await RefsAsync(app, "users/store-dave"));
        await AssertStatusAsync(HttpStatusCode.NotFound, app.GetAsync($"users/store-dave/notifications/{id}"));
        await AssertStatusAsync(HttpStatusCode.NotFound, app.DeleteAsync($"users/store-dave/notifications/{id}/$ref"));
        Assert.Equal([id], await IdsAsync(app, "users/store-erin/notifications"));

        await AssertStatusAsync(HttpStatusCode.NoContent, app.DeleteAsync($"users/store-erin/notifications/$ref?$id={Uri.EscapeDataString(Url(id))}"));

        Assert.Empty(await IdsAsync(app, "users/store-erin/notifications"));
        await AssertStatusAsync(HttpStatusCode.OK, app.GetAsync($"notifications/{id}"));
    }

    [SkippableFact]
    public async Task Linking_one_notification_to_one_user_from_many_requests_at_once_answers_204_to_each_and_stores_one_link()
    {
        var app = _service.AppOnly("store-app-5");
        string id = await app.CreateAsync("notifications");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.PostAsync("users/store-frank/notifications/$ref", Bodies.ReferenceTo(Url(id)))));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode));
        Assert.Equal([Url(id)], await RefsAsync(app, "users/store-frank"));
        Assert.Equal(1, await InStoreAsync(db => db.Links.CountAsync(l => l.NotificationId == id)));
    }

    [SkippableFact]
    public async Task An_expired_notification_is_hidden_at_read_time_from_the_feed_its_links_the_entity_set_and_linking()
    {
        var app = _service.AppOnly("store-app-6");
        string live = await app.CreateAsync("users/store-grace/notifications");
        string expired = await app.CreateAsync("users/store-grace/notifications");

        // Time passes for one of them: its stored expiry (and its link's copy of it) moves just behind now, and nothing else changes.
        var past = DateTimeOffset.UtcNow.AddSeconds(-1);
        await InStoreAsync(db => db.Notifications.Where(n => n.Id == expired)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.ExpirationDateTime, past)));
        await InStoreAsync(db => db.Links.Where(l => l.NotificationId == expired)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.ExpiresAt, past.UtcTicks)));

        Assert.Equal([live], await IdsAsync(app, "users/store-grace/notifications"));
        Assert.Equal([Url(live)], await RefsAsync(app, "users/store-grace"));
        Assert.Equal([live], await IdsAsync(app, "notifications"));
        await AssertStatusAsync(HttpStatusCode.NotFound, app.GetAsync($"users/store-grace/notifications/{expired}"));
        await AssertStatusAsync(HttpStatusCode.NotFound, app.GetAsync($"notifications/{expired}"));
        await AssertStatusAsync(HttpStatusCode.NotFound, app.PostAsync("users/store-heidi/notifications/$ref", Bodies.ReferenceTo(Url(expired))));
    }

    [SkippableFact]
    public async Task Filtering_and_ordering_on_the_expiry_run_in_the_database_by_instant_whatever_the_offsets_sent()
    {
        const string appId = "store-app-7";
        var app = _service.AppOnly(appId);
        var now = DateTimeOffset.UtcNow;
        // Instants in this order, written with offsets whose wall-clock times run the other way.
        string early = await app.CreateAsync("notifications", WithExpiry(now.AddHours(2).ToOffset(TimeSpan.FromHours(12))));
        string middle = await app.CreateAsync("notifications", WithExpiry(now.AddHours(3).ToOffset(TimeSpan.Zero)));
        string late = await app.CreateAsync("notifications", WithExpiry(now.AddHours(4).ToOffset(TimeSpan.FromHours(-10))));
        var cutoff = now.AddHours(2.5);

        var (after, sql) = await InStoreAsync(async db =>
        {
            var query = db.Notifications.Where(n => EF.Property<string>(n, StorageColumns.AppId) == appId && n.ExpirationDateTime > cutoff)
                .OrderBy(n => n.ExpirationDateTime)
                .Select(n => n.Id);
            return (await query.ToListAsync(), query.ToQueryString());
        });
        var latestFirst = await InStoreAsync(db => db.Notifications.Where(n => EF.Property<string>(n, StorageColumns.AppId) == appId)
            .OrderByDescending(n => n.ExpirationDateTime)
            .Select(n => n.Id)
            .ToListAsync());

        Assert.Equal([middle, late], after);
        Assert.Equal([late, middle, early], latestFirst);
        Assert.Matches("WHERE[\\s\\S]*\"ExpiresAt\" >[\\s\\S]*ORDER BY [^\\n]*\"ExpiresAt\"", sql);
    }

    private static string Url(string id) => $"http://localhost/v1.0/notifications('{id}')";


    private static JsonObject WithExpiry(DateTimeOffset expires)
    {
        var body = Bodies.Minimal();
        body["expirationDateTime"] = expires.ToString("O", CultureInfo.InvariantCulture);
        return body;
    }

    private static async Task<JsonObject> ReadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<string[]> IdsAsync(HttpClient client, string url) =>
        [.. (await ReadAsync(client, url))["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>())];

    private static async Task<string[]> RefsAsync(HttpClient client, string user) =>
        [.. (await ReadAsync(client, $"{user}/notifications/$ref"))["value"]!.AsArray().Select(r => r!["@odata.id"]!.GetValue<string>())];

    private static async Task AssertStatusAsync(HttpStatusCode expected, Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Equal properties, in any order (PostgreSQL's jsonb keeps dynamic properties in an order of its own).</summary>
    private static void AssertSameProperties(JsonNode expected, JsonNode actual)
    {
        var (want, got) = (Canonical(expected), Canonical(actual));
        Assert.True(JsonNode.DeepEquals(want, got), $"Expected{Environment.NewLine}{want}{Environment.NewLine}but read{Environment.NewLine}{got}");
    }

    private static JsonObject WithoutPropertyAnnotations(JsonObject notification) =>
        new(notification.Where(p => !p.Key.EndsWith("@odata.type", StringComparison.Ordinal) || p.Key == "@odata.type")
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

    /// <summary>The properties sorted by name, without the <c>@odata.context</c> that depends on the URL read.</summary>
    private static JsonObject Canonical(JsonNode notification) =>
        new(notification.AsObject().Where(p => p.Key != "@odata.context").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

    private Task<T> InStoreAsync<T>(Func<NotificationsDbContext, Task<T>> action) => _service.InStoreAsync(action);
}

/// <summary>The store tests on SQLite, in a temporary file.</summary>
public sealed class SqliteStoreTests(SqliteServiceFactory service)
    : StoreTests<SqliteServiceFactory>(service, typeof(SqliteNotificationsDbContext));

/// <summary>The store tests on PostgreSQL, in a database of their own; skipped where no server is configured (failed under CI).</summary>
public sealed class PostgresStoreTests : StoreTests<PostgresServiceFactory>
{
    public PostgresStoreTests(PostgresServiceFactory service)
        : base(service, typeof(PostgresNotificationsDbContext)) => service.Database.SkipUnlessAvailable();
}

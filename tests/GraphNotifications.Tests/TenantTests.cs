using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests;

/// <summary>
/// Tenants (the token's <c>tid</c>): everything a caller creates, links and reads stays in its tenant, and a user id
/// names a user within it. The intruder of these tests is the hardest case: the same (multi-tenant) app, acting for
/// a user of the same id, in another tenant, naming the notification's real id. To it the notification does not
/// exist: 404 on every route, nothing in any collection, count or expansion, and nothing changed. The same tests run
/// on each store (<see cref="InMemoryTenantTests"/>, <see cref="SqliteTenantTests"/>, <see cref="PostgresTenantTests"/>);
/// each test uses tenants of its own.
/// </summary>
public abstract class TenantTests<TFactory> : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{
    private const string AppId = "tenants-app";
    private const string UserId = "tenants-user";
    private static readonly JsonObject Change = new() { ["groupName"] = "changed from another tenant" };

    private readonly TFactory _service;

    protected TenantTests(TFactory service)
    {
        _service = service;
    }

    /// <summary>Who asks (the intruder's app-only or delegated token), the method, the path, and the condition header.</summary>
    public static TheoryData<string, string, string, string?> GuessedIdRequests => new()
    {
        { "app", "GET", "notifications/{id}", null },
        { "app", "GET", "notifications('{id}')", "W/\"1\"" },
        { "app", "GET", "users/{user}/notifications/{id}", null },
        { "user", "GET", "me/notifications/{id}", "*" },
        { "app", "PATCH", "notifications/{id}", null },
        { "app", "PATCH", "notifications/{id}", "W/\"1\"" },
        { "app", "PATCH", "users/{user}/notifications/{id}", "W/\"7\"" },
        { "user", "PATCH", "me/notifications/{id}", "*" },
        { "user", "PATCH", "users/{user}/notifications/{id}", null },
        { "app", "DELETE", "notifications/{id}", null },
        { "app", "DELETE", "notifications/{id}", "W/\"7\"" },
        { "app", "DELETE", "users/{user}/notifications/{id}", "*" },
        { "user", "DELETE", "me/notifications/{id}", null },
        { "app", "POST $ref", "users/{user}/notifications/$ref", null },
        { "app", "POST $ref", "users/another-user/notifications/$ref", null },
        { "user", "POST $ref", "me/notifications/$ref", null },
        { "app", "DELETE", "users/{user}/notifications/{id}/$ref", null },
        { "user", "DELETE", "me/notifications/{id}/$ref", null },
        { "app", "DELETE", "users/{user}/notifications/$ref?$id={url}", null },
        { "user", "DELETE", "me/notifications/$ref?$id={url}", null },
    };

    [SkippableFact]
    public async Task The_same_user_id_in_two_tenants_has_two_feeds()
    {
        var (contoso, fabrikam) = NewTenants();
        var contosoApp = App(contoso);
        var fabrikamApp = App(fabrikam);
        string first = await contosoApp.CreateAsync($"users/{UserId}/notifications", Bodies.Minimal("Contoso 1"));
        string second = await contosoApp.CreateAsync($"users/{UserId}/notifications", Bodies.Minimal("Contoso 2"));
        string theirs = await fabrikamApp.CreateAsync($"users/{UserId}/notifications", Bodies.Minimal("Fabrikam"));
        string theirsByMe = await User(fabrikam).CreateAsync("me/notifications", Bodies.Minimal("Fabrikam, by the user"));

        Assert.Equal([second, first], await IdsAsync(contosoApp, $"users/{UserId}/notifications"));
        Assert.Equal([second, first], await IdsAsync(User(contoso), "me/notifications"));
        Assert.Equal([second, first], await IdsAsync(contosoApp, "notifications"));
        Assert.Equal([Url(second), Url(first)], await RefsAsync(User(contoso), "me"));
        Assert.Equal("2", await TextAsync(contosoApp, $"users/{UserId}/notifications/$count"));
        Assert.Equal([second, first], await ExpandedIdsAsync(contosoApp, $"users/{UserId}"));
        Assert.Equal([UserId], await IdsAsync(contosoApp, "users"));

        Assert.Equal([theirsByMe, theirs], await IdsAsync(fabrikamApp, $"users/{UserId}/notifications"));
        Assert.Equal([theirsByMe, theirs], await IdsAsync(User(fabrikam), "me/notifications"));
        Assert.Equal([theirsByMe, theirs], await ExpandedIdsAsync(User(fabrikam), "me"));
        Assert.Equal("2", await TextAsync(fabrikamApp, "notifications/$count"));

        // Dismissing from one tenant's feed leaves the other's as it was.
        Assert.Equal(HttpStatusCode.NoContent, (await User(contoso).DeleteAsync($"me/notifications/{first}/$ref")).StatusCode);
        Assert.Equal([second], await IdsAsync(User(contoso), "me/notifications"));
        Assert.Equal([theirsByMe, theirs], await IdsAsync(User(fabrikam), "me/notifications"));
    }

    [SkippableTheory]
    [MemberData(nameof(GuessedIdRequests))]
    public async Task Another_tenant_that_names_the_id_gets_a_404_and_changes_nothing(string who, string method, string template, string? condition)
    {
        var (owner, intruder) = NewTenants();
        var ownerApp = App(owner);
        string id = await ownerApp.CreateAsync($"users/{UserId}/notifications");
        string url = template.Replace("{id}", id, StringComparison.Ordinal)
            .Replace("{user}", UserId, StringComparison.Ordinal)
            .Replace("{url}", Uri.EscapeDataString(Url(id)), StringComparison.Ordinal);
        var client = who == "app" ? App(intruder) : User(intruder);

        var response = method switch
        {
            "GET" => await client.GetAsync(url, ifNoneMatch: condition),
            "PATCH" => await client.PatchAsync(url, Change, ifMatch: condition),
            "DELETE" => await client.DeleteAsync(url, ifMatch: condition),
            "POST $ref" => await client.PostAsync(url, new JsonObject { ["@odata.id"] = Url(id) }),
            _ => throw new ArgumentOutOfRangeException(nameof(method)),
        };

        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {url}: {(int)response.StatusCode} {text}");
        Assert.Equal("notFound", JsonNode.Parse(text)!.AsObject().ErrorCode());
        var stored = await ownerApp.ReadNotificationAsync($"notifications/{id}");
        Assert.Equal("W/\"1\"", stored["@odata.etag"]!.GetValue<string>());
        Assert.Null(stored["groupName"]);
        Assert.Equal([Url(id)], await RefsAsync(ownerApp, $"users/{UserId}"));
        Assert.Empty(await IdsAsync(App(intruder), $"users/{UserId}/notifications"));
        Assert.Empty(await IdsAsync(App(intruder), "users/another-user/notifications"));
        Assert.Empty(await IdsAsync(App(intruder), "users"));
    }

    [SkippableFact]
    public async Task Another_tenants_queries_counts_expansions_and_skip_tokens_find_nothing()
    {
        var (owner, intruder) = NewTenants();
        var ownerApp = App(owner);
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            ids.Add(await ownerApp.CreateAsync($"users/{UserId}/notifications"));
        }

        var intruderApp = App(intruder);
        string byId = "?$filter=" + Uri.EscapeDataString($"id eq '{ids[0]}' or id in ('{ids[1]}','{ids[2]}')");

        Assert.Empty(await IdsAsync(intruderApp, "notifications" + byId));
        Assert.Empty(await IdsAsync(intruderApp, $"users/{UserId}/notifications" + byId));
        Assert.Empty(await IdsAsync(User(intruder), "me/notifications" + byId));
        Assert.Equal("0", await TextAsync(intruderApp, "notifications/$count"));
        Assert.Equal("0", await TextAsync(intruderApp, $"users/{UserId}/notifications/$count"));
        Assert.Equal("0", await TextAsync(User(intruder), "me/notifications/$count" + byId));
        Assert.Equal(0, (await ReadAsync(intruderApp, "notifications?$count=true"))["@odata.count"]!.GetValue<int>());
        Assert.Empty(await RefsAsync(User(intruder), "me"));
        Assert.Empty(await ExpandedIdsAsync(intruderApp, $"users/{UserId}"));
        Assert.Empty(await ExpandedIdsAsync(User(intruder), "me"));
        Assert.Empty((await ReadAsync(intruderApp, "users?$expand=notifications"))["value"]!.AsArray());

        // A skip token holds the last item's sort keys, never whose feed it was: followed from another tenant, it
        // pages that tenant's own (here empty) feed.
        foreach (string collection in new[] { $"users/{UserId}/notifications", "notifications" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, collection);
            request.Headers.Add("Prefer", "odata.maxpagesize=1");
            var firstPage = await (await ownerApp.SendAsync(request)).ReadObjectAsync();
            string next = firstPage["@odata.nextLink"]!.GetValue<string>();

            Assert.Equal([ids[1], ids[0]], await IdsAsync(ownerApp, next));
            Assert.Empty(await IdsAsync(intruderApp, next));
        }
    }

    [SkippableFact]
    public async Task A_notification_of_another_tenant_cannot_be_linked_into_this_tenants_feeds()
    {
        var (owner, intruder) = NewTenants();
        string id = await App(owner).CreateAsync("notifications");
        var intruderApp = App(intruder);

        var linked = await intruderApp.PostAsync($"users/{UserId}/notifications/$ref", new JsonObject { ["@odata.id"] = $"notifications('{id}')" });

        Assert.Equal(HttpStatusCode.NotFound, linked.StatusCode);
        Assert.Empty(await IdsAsync(intruderApp, $"users/{UserId}/notifications"));
        Assert.Empty(await RefsAsync(App(owner), $"users/{UserId}"));
        Assert.Equal([id], await IdsAsync(App(owner), "notifications"));
    }

    [SkippableFact]
    public async Task A_token_without_tid_acts_in_the_default_tenant()
    {
        string app = "tenants-no-tid-" + Guid.NewGuid().ToString("N");
        var noTid = _service.ClientWith(TestTokens.AppOnly(app));
        var userWithoutTid = _service.ClientWith(TestTokens.Delegated(UserId, app));
        var defaultTenant = _service.ClientWith(TestTokens.AppOnly(app, tweak: TestTokens.InTenant("default")));
        var elsewhere = _service.ClientWith(TestTokens.AppOnly(app, tweak: TestTokens.InTenant("tenants-elsewhere")));

        string id = await noTid.CreateAsync($"users/{UserId}/notifications");

        Assert.Equal([id], await IdsAsync(noTid, $"users/{UserId}/notifications"));
        Assert.Equal([id], await IdsAsync(userWithoutTid, "me/notifications"));
        Assert.Equal([id], await IdsAsync(defaultTenant, $"users/{UserId}/notifications"));
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync($"notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await userWithoutTid.PatchAsync($"me/notifications/{id}", new JsonObject { ["groupName"] = "g" })).StatusCode);
        Assert.Equal("g", (await defaultTenant.ReadNotificationAsync($"notifications/{id}"))["groupName"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Ids_longer_than_the_store_keeps_are_refused_before_they_reach_it()
    {
        var (tenant, _) = NewTenants();
        string longest = new('t', StorageColumns.MaxIdLength - tenant.Length);
        var longestTenant = _service.ClientWith(TestTokens.AppOnly(AppId, tweak: TestTokens.InTenant(tenant + longest)));
        var tooLongTenant = _service.ClientWith(TestTokens.AppOnly(AppId, tweak: TestTokens.InTenant(tenant + longest + "t")));
        var tooLongApp = _service.ClientWith(TestTokens.AppOnly(new string('a', StorageColumns.MaxIdLength + 1), tweak: TestTokens.InTenant(tenant)));

        string created = await longestTenant.CreateAsync($"users/{new string('u', StorageColumns.MaxIdLength)}/notifications");
        var tooLongUser = await App(tenant).PostAsync($"users/{new string('u', StorageColumns.MaxIdLength + 1)}/notifications", Bodies.Minimal());

        Assert.Equal([created], await IdsAsync(longestTenant, "notifications"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await tooLongTenant.PostAsync("notifications", Bodies.Minimal())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tooLongApp.PostAsync("notifications", Bodies.Minimal())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLongUser.StatusCode);
        Assert.Empty(await IdsAsync(App(tenant), "notifications"));
    }

    private static (string, string) NewTenants()
    {
        string run = Guid.NewGuid().ToString("N")[..12];
        return ($"contoso-{run}", $"fabrikam-{run}");
    }

    private HttpClient App(string tenant) => _service.ClientWith(TestTokens.AppOnly(AppId, tweak: TestTokens.InTenant(tenant)));

    private HttpClient User(string tenant) => _service.ClientWith(TestTokens.Delegated(UserId, AppId, tweak: TestTokens.InTenant(tenant)));

    private static string Url(string id) => $"http://localhost/v1.0/notifications('{id}')";

    private static async Task<JsonObject> ReadAsync(HttpClient client, string url) => JsonNode.Parse(await TextAsync(client, url))!.AsObject();

    private static async Task<string> TextAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        return text;
    }

    private static async Task<string[]> IdsAsync(HttpClient client, string url) =>
        [.. (await ReadAsync(client, url))["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>())];

    private static async Task<string[]> RefsAsync(HttpClient client, string user) =>
        [.. (await ReadAsync(client, $"{user}/notifications/$ref"))["value"]!.AsArray().Select(r => r!["@odata.id"]!.GetValue<string>())];

    private static async Task<string[]> ExpandedIdsAsync(HttpClient client, string user) =>
        [.. (await ReadAsync(client, $"{user}?$expand=notifications($select=id)"))["notifications"]!.AsArray().Select(n => n!["id"]!.GetValue<string>())];
}

/// <summary>The tenant tests on EF Core's in-memory store.</summary>
public sealed class InMemoryTenantTests(ServiceFactory service) : TenantTests<ServiceFactory>(service);

/// <summary>The tenant tests on SQLite, in a temporary file.</summary>
public sealed class SqliteTenantTests(SqliteServiceFactory service) : TenantTests<SqliteServiceFactory>(service);

/// <summary>The tenant tests on PostgreSQL; skipped where no server is configured (failed under CI).</summary>
public sealed class PostgresTenantTests : TenantTests<PostgresServiceFactory>
{
    public PostgresTenantTests(PostgresServiceFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();
}

/// <summary>The expiry sweeper reclaims expired notifications of every tenant.</summary>
public abstract class TenantExpiryTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : StoreServiceFactory
{
    [Fact]
    public async Task A_sweep_removes_expired_notifications_and_their_links_in_every_tenant()
    {
        var expired = new List<string>();
        var live = new List<string>();
        foreach (string? tenant in new[] { "sweep-contoso", "sweep-fabrikam", null })
        {
            var app = service.ClientWith(TestTokens.AppOnly("sweep-app", tweak: d =>
            {
                d.Expires = DateTime.UtcNow.AddDays(2);
                if (tenant is not null)
                {
                    TestTokens.InTenant(tenant)(d);
                }
            }));
            expired.Add(await app.CreateAsync("users/sweep-user/notifications", ExpiringIn(TimeSpan.FromMinutes(30))));
            live.Add(await app.CreateAsync("users/sweep-user/notifications", ExpiringIn(TimeSpan.FromHours(3))));
        }

        service.Clock.Advance(TimeSpan.FromHours(1));
        int removed = await service.SweepAsync();

        Assert.Equal(expired.Count, removed);
        foreach (string id in expired)
        {
            Assert.False(await service.RowExistsAsync(id));
            Assert.Equal(0, await service.LinkCountAsync(id));
        }

        foreach (string id in live)
        {
            Assert.True(await service.RowExistsAsync(id));
            Assert.Equal(1, await service.LinkCountAsync(id));
        }
    }

    private JsonObject ExpiringIn(TimeSpan lifetime)
    {
        var body = Bodies.Minimal();
        body["expirationDateTime"] = service.Clock.GetUtcNow().Add(lifetime).ToString("O", CultureInfo.InvariantCulture);
        return body;
    }
}

public sealed class InMemoryTenantExpiryTests(InMemoryStoreFactory service) : TenantExpiryTests<InMemoryStoreFactory>(service);

public sealed class SqliteTenantExpiryTests(SqliteStoreFactory service) : TenantExpiryTests<SqliteStoreFactory>(service);

/// <summary>
/// A store from before tenants (its schema at the <c>InitialCreate</c> migration, rows written there) is migrated
/// by the service at start-up, and its rows read back in the default tenant: where tokens without <c>tid</c>, which
/// wrote them, still find them, and no other tenant does.
/// </summary>
public abstract class TenantMigrationTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{
    private const string PriorMigration = "InitialCreate";

    protected TFactory Service { get; } = service;

    /// <summary>A context on the service's database that the service has not started on yet.</summary>
    protected abstract NotificationsDbContext OpenPriorStore();

    [SkippableFact]
    public async Task Rows_written_before_tenants_read_back_in_the_default_tenant()
    {
        string id = Guid.NewGuid().ToString();
        long created = DateTimeOffset.UtcNow.AddMinutes(-5).UtcTicks;
        long expires = DateTimeOffset.UtcNow.AddDays(10).UtcTicks;
        await using (var prior = OpenPriorStore())
        {
            await prior.Database.MigrateAsync(PriorMigration);
            await prior.Database.ExecuteSqlAsync($$"""
                INSERT INTO "Notifications" ("Id", "TargetHostName", "ExpiresAt", "RawContent", "GroupName", "DynamicProperties", "CreatedAt", "Version", "AppId")
                VALUES ({{id}}, 'legacy.example', {{expires}}, 'from before tenants', 'legacy', '{}', {{created}}, 1, 'legacy-app')
                """);
            await prior.Database.ExecuteSqlAsync($$"""
                INSERT INTO "UserNotificationLinks" ("UserId", "NotificationId", "AppId", "CreatedAt")
                VALUES ('legacy-user', {{id}}, 'legacy-app', {{created}})
                """);
        }

        var app = Service.ClientWith(TestTokens.AppOnly("legacy-app"));
        var user = Service.ClientWith(TestTokens.Delegated("legacy-user", "legacy-app"));
        var otherTenant = Service.ClientWith(TestTokens.AppOnly("legacy-app", tweak: TestTokens.InTenant("legacy-elsewhere")));

        var read = await user.ReadNotificationAsync($"me/notifications/{id}");
        Assert.Equal("from before tenants", read["payload"]!["rawContent"]!.GetValue<string>());
        Assert.Equal("W/\"1.1\"", read["@odata.etag"]!.GetValue<string>());
        var feed = await (await app.GetAsync("users/legacy-user/notifications")).ReadObjectAsync();
        Assert.Equal([id], feed["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await otherTenant.GetAsync($"notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherTenant.GetAsync($"users/legacy-user/notifications/{id}")).StatusCode);

        var (tenants, linkTenants) = await InStoreAsync(async db => (
            await db.Notifications.Where(n => n.Id == id).Select(n => EF.Property<string>(n, StorageColumns.TenantId)).ToListAsync(),
            await db.Links.Where(l => l.NotificationId == id).Select(l => l.TenantId).ToListAsync()));
        Assert.Equal(["default"], tenants);
        Assert.Equal(["default"], linkTenants);

        // The migrated rows take part in the new key: linking again changes nothing, linking elsewhere adds a link.
        var reference = new JsonObject { ["@odata.id"] = $"notifications('{id}')" };
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync("users/legacy-user/notifications/$ref", reference)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync("users/legacy-user-2/notifications/$ref", reference)).StatusCode);
        Assert.Equal(2, await InStoreAsync(db => db.Links.CountAsync(l => l.NotificationId == id)));
    }

    private async Task<T> InStoreAsync<T>(Func<NotificationsDbContext, Task<T>> action)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>());
    }
}

/// <summary>The service on a SQLite file whose path the test knows, so that it can write the file first.</summary>
public sealed class PriorSqliteFileFactory : ServiceFactoryBase
{
    public string ConnectionString { get; } =
        $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("graphnotifications-tests-").FullName, "prior.db")}";

    protected override void ConfigureStore(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Notifications", ConnectionString);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            string? folder = Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource);
            try
            {
                Directory.Delete(folder!, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder; the OS reclaims it.
            }
        }
    }
}

public sealed class SqliteTenantMigrationTests(PriorSqliteFileFactory service) : TenantMigrationTests<PriorSqliteFileFactory>(service)
{
    protected override NotificationsDbContext OpenPriorStore() =>
        new SqliteNotificationsDbContext(new DbContextOptionsBuilder<SqliteNotificationsDbContext>().UseSqlite(Service.ConnectionString).Options);
}

public sealed class PostgresTenantMigrationTests : TenantMigrationTests<PostgresServiceFactory>
{
    public PostgresTenantMigrationTests(PostgresServiceFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();

    protected override NotificationsDbContext OpenPriorStore() =>
        new PostgresNotificationsDbContext(new DbContextOptionsBuilder<PostgresNotificationsDbContext>().UseNpgsql(Service.Database.ConnectionString).Options);
}

/// <summary>
/// With the tenant leading the keys, a page is still one index range read in order (no sort): SQLite's plan for
/// the feed's and the entity set's default order, first page and after a skip token's position.
/// </summary>
public sealed class SqliteTenantIndexTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>
{
    [Theory]
    [InlineData("feed", false, "IX_UserNotificationLinks_Feed (TenantId=? AND UserId=? AND AppId=?)")]
    [InlineData("feed", true, "IX_UserNotificationLinks_Feed (TenantId=? AND UserId=? AND AppId=? AND CreatedAt<?)")]
    [InlineData("entity set", false, "IX_Notifications_TenantId_AppId_CreatedAt_Id (TenantId=? AND AppId=?)")]
    [InlineData("entity set", true, "IX_Notifications_TenantId_AppId_CreatedAt_Id (TenantId=? AND AppId=? AND CreatedAt<?)")]
    public async Task A_page_in_the_default_order_is_one_range_of_an_index_that_leads_with_the_tenant(string collection, bool afterPosition, string search)
    {
        await using var scope = service.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<NotificationStore>();
        var app = new AppScope("plan-tenant", "plan-app");
        var pages = collection == "feed" ? store.FeedPages(app, "plan-user") : store.OwnedPages(app);
        object?[]? position = afterPosition ? [DateTimeOffset.UtcNow.UtcTicks, Guid.NewGuid().ToString()] : null;
        using var command = pages.InDefaultOrder(position).Take(21).CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await command.Connection!.OpenAsync();

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(reader.GetOrdinal("detail")));
            }
        }

        await command.Connection.CloseAsync();
        string text = string.Join(Environment.NewLine, plan);
        Assert.Contains(search, text, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", text, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Querying;

/// <summary>Dynamic-property filters on EF Core's in-memory store (it runs the filter's functions in memory).</summary>
public sealed class InMemoryDynamicFilterTests(ServiceFactory service) : DynamicFilterTests<ServiceFactory>(service);

/// <summary>Dynamic-property filters on a SQLite file: its JSON functions run them.</summary>
public sealed class SqliteDynamicFilterTests(SqliteServiceFactory service) : DynamicFilterTests<SqliteServiceFactory>(service);

/// <summary>Dynamic-property filters on PostgreSQL's jsonb; skipped where no server is configured (failed under CI).</summary>
public sealed class PostgresDynamicFilterTests : DynamicFilterTests<PostgresServiceFactory>
{
    public PostgresDynamicFilterTests(PostgresServiceFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();
}

/// <summary>
/// <c>$filter</c> on dynamic properties (the app's own values, such as <c>appNotificationId</c>), as a client sees it
/// on every path that lists notifications: OData's null for an absent property, comparisons typed by the literal,
/// and never another app's notification. Each test uses its own app or user.
/// </summary>
public abstract class DynamicFilterTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{
    /// <summary>
    /// Five notifications in one feed: A to E. C holds values of the "wrong" types (a number id, a string attempt, a
    /// string urgent); D holds no dynamic property at all.
    /// </summary>
    private static readonly Dictionary<string, JsonObject> Feed = new()
    {
        ["A"] = new() { ["appNotificationId"] = "a-1", ["attempt"] = 3, ["urgent"] = true, ["ratio"] = 1.5, ["groupName"] = "g" },
        ["B"] = new() { ["appNotificationId"] = "a-2", ["attempt"] = 10, ["urgent"] = false },
        ["C"] = new() { ["appNotificationId"] = 7, ["attempt"] = "3", ["urgent"] = "true" },
        ["D"] = new() { ["groupName"] = "g" },
        ["E"] = new() { ["appNotificationId"] = "b-1", ["ratio"] = -2 },
    };

    public static TheoryData<string, string> Filters => new()
    {
        { "appNotificationId eq 'a-1'", "A" },
        { "appNotificationId ne 'a-1'", "BCDE" },
        { "appNotificationId eq null", "D" },
        { "appNotificationId ne null", "ABCE" },
        { "appNotificationId eq 7", "C" },
        { "7 eq appNotificationId", "C" },
        { "appNotificationId gt 'a-1'", "BE" },
        { "appNotificationId lt 'b'", "AB" },
        { "'a-2' lt appNotificationId", "E" },
        { "attempt eq 3", "A" },
        { "attempt eq '3'", "C" },
        { "attempt gt 3", "B" },
        { "attempt le 3", "A" },
        { "not (attempt gt 3)", "ACDE" },
        { "attempt ge 3.0 and attempt lt 10", "A" },
        { "urgent eq true", "A" },
        { "urgent eq false", "B" },
        { "urgent ne true", "BCDE" },
        { "ratio gt 1", "A" },
        { "ratio lt -1.5", "E" },
        { "startswith(appNotificationId, 'a-')", "AB" },
        { "endswith(appNotificationId, '-1')", "AE" },
        { "contains(appNotificationId, '-')", "ABE" },
        { "not contains(appNotificationId, 'a')", "CDE" },
        { "appNotificationId eq 'a-1' or urgent eq false", "AB" },
        { "groupName eq 'g' and appNotificationId eq null", "D" },
        { "groupName eq 'g' and startswith(appNotificationId, 'a')", "A" },
        { "nothing eq 1", "" },
        { "nothing eq null", "ABCDE" },
        { "nothing ne 'x'", "ABCDE" },
    };

    [SkippableTheory]
    [MemberData(nameof(Filters))]
    public async Task A_filter_on_dynamic_properties_answers_exactly_the_matching_notifications(string filter, string expected)
    {
        string user = "dyn-user-" + Guid.NewGuid().ToString("N")[..8];
        var app = service.AppOnly("dyn-app-truth");
        var ids = await SeedAsync(app, user);

        var response = await app.GetAsync($"users/{user}/notifications?$filter={Uri.EscapeDataString(filter)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Letters(ids, expected), await IdsAsync(response));
    }

    [SkippableFact]
    public async Task Every_path_that_lists_notifications_applies_the_filter()
    {
        string user = "dyn-paths-" + Guid.NewGuid().ToString("N")[..8];
        string appId = "dyn-app-paths-" + Guid.NewGuid().ToString("N")[..8];
        var app = service.AppOnly(appId);
        var me = service.Delegated(user, appId);
        var ids = await SeedAsync(app, user);
        string filter = Uri.EscapeDataString("startswith(appNotificationId, 'a-')");
        var want = Letters(ids, "AB");

        Assert.Equal(want, await IdsAsync(await app.GetAsync($"users/{user}/notifications?$filter={filter}")));
        Assert.Equal(want, await IdsAsync(await me.GetAsync($"me/notifications?$filter={filter}")));
        Assert.Equal(want, await IdsAsync(await app.GetAsync($"notifications?$filter={filter}")));
        Assert.Equal("2", await (await app.GetAsync($"users/{user}/notifications/$count?$filter={filter}")).Content.ReadAsStringAsync());
        Assert.Equal("2", await (await me.GetAsync($"me/notifications/$count?$filter={filter}")).Content.ReadAsStringAsync());
        Assert.Equal("2", await (await app.GetAsync($"notifications/$count?$filter={filter}")).Content.ReadAsStringAsync());
        var counted = await (await app.GetAsync($"users/{user}/notifications?$count=true&$filter={filter}")).ReadObjectAsync();
        Assert.Equal(2, counted["@odata.count"]!.GetValue<long>());

        var expanded = await (await app.GetAsync($"users/{user}?$expand=notifications($filter={filter})")).ReadObjectAsync();
        Assert.Equal(want, Ids(expanded["notifications"]!.AsArray()));
        var meExpanded = await (await me.GetAsync($"me?$expand=notifications($filter={filter};$select=id)")).ReadObjectAsync();
        Assert.Equal(want, Ids(meExpanded["notifications"]!.AsArray()));
        var users = await (await app.GetAsync($"users?$expand=notifications($filter={filter})")).ReadObjectAsync();
        var mine = users["value"]!.AsArray().Single(u => u!["id"]!.GetValue<string>() == user)!;
        Assert.Equal(want, Ids(mine["notifications"]!.AsArray()));
    }

    [SkippableFact]
    public async Task Paging_keeps_the_filter_in_the_next_link_and_returns_each_match_once()
    {
        string user = "dyn-paging-" + Guid.NewGuid().ToString("N")[..8];
        var app = service.AppOnly("dyn-app-paging");
        var matching = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            var body = Bodies.Minimal();
            body["batch"] = i % 2 == 0 ? "even" : "odd";
            body["attempt"] = i;
            string id = await app.CreateAsync($"users/{user}/notifications", body);
            if (i % 2 == 0 && i >= 2)
            {
                matching.Add(id);
            }
        }

        var seen = new List<string>();
        string? next = $"users/{user}/notifications?$filter={Uri.EscapeDataString("batch eq 'even' and attempt ge 2")}&$top=4";
        int pages = 0;
        while (next is not null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=2");
            var page = await (await app.SendAsync(request)).ReadObjectAsync();
            seen.AddRange(page["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
            next = page["@odata.nextLink"]?.GetValue<string>();
            if (next is not null)
            {
                Assert.Contains("batch%20eq%20%27even%27", next, StringComparison.Ordinal);
            }

            pages++;
        }

        Assert.Equal(2, pages);
        // Newest first: the four most recent matches ($top=4).
        Assert.Equal(matching.AsEnumerable().Reverse().Take(4), seen);
    }

    [SkippableFact]
    public async Task Another_apps_notification_with_the_same_app_notification_id_is_never_returned()
    {
        string user = "dyn-isolation-" + Guid.NewGuid().ToString("N")[..8];
        string appId = "dyn-app-mine-" + Guid.NewGuid().ToString("N")[..8];
        var mine = service.AppOnly(appId);
        var theirs = service.AppOnly("dyn-app-theirs-" + Guid.NewGuid().ToString("N")[..8]);
        var otherTenant = service.ClientWith(TestTokens.AppOnly(appId, tweak: TestTokens.InTenant("other-tenant")));
        var body = Bodies.Minimal();
        body["appNotificationId"] = "shared-id";
        string own = await mine.CreateAsync($"users/{user}/notifications", body);
        await theirs.CreateAsync($"users/{user}/notifications", body);
        await otherTenant.CreateAsync($"users/{user}/notifications", body);
        string filter = "?$filter=" + Uri.EscapeDataString("appNotificationId eq 'shared-id'");

        Assert.Equal([own], await IdsAsync(await mine.GetAsync($"users/{user}/notifications{filter}")));
        Assert.Equal([own], await IdsAsync(await mine.GetAsync($"notifications{filter}")));
        Assert.Equal([own], await IdsAsync(await service.Delegated(user, appId).GetAsync($"me/notifications{filter}")));
        Assert.Equal("1", await (await mine.GetAsync($"notifications/$count{filter}")).Content.ReadAsStringAsync());
        var expanded = await (await mine.GetAsync($"users/{user}?$expand=notifications($filter={Uri.EscapeDataString("appNotificationId eq 'shared-id'")})")).ReadObjectAsync();
        Assert.Equal([own], Ids(expanded["notifications"]!.AsArray()));
    }

    [SkippableTheory]
    [InlineData("it's")]
    [InlineData("$.appNotificationId")]
    [InlineData("a\"b")]
    [InlineData("[0]")]
    [InlineData("a%b_c")]
    [InlineData("back\\slash")]
    [InlineData("') OR 1=1 --")]
    [InlineData("caf\u00e9 \u2603")]
    public async Task Values_that_look_like_SQL_or_JSON_paths_match_only_themselves(string value)
    {
        string user = "dyn-values-" + Guid.NewGuid().ToString("N")[..8];
        var app = service.AppOnly("dyn-app-values");
        var body = Bodies.Minimal();
        body["appNotificationId"] = value;
        string id = await app.CreateAsync($"users/{user}/notifications", body);
        var other = Bodies.Minimal();
        other["appNotificationId"] = "a-b-c";
        await app.CreateAsync($"users/{user}/notifications", other);
        string literal = "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

        foreach (string filter in new[] { $"appNotificationId eq {literal}", $"startswith(appNotificationId, {literal})", $"contains(appNotificationId, {literal})" })
        {
            var response = await app.GetAsync($"users/{user}/notifications?$filter={Uri.EscapeDataString(filter)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal([id], await IdsAsync(response));
        }

        var none = await app.GetAsync($"users/{user}/notifications?$filter={Uri.EscapeDataString($"appNotificationId eq {literal.Insert(1, "x")}")}");
        Assert.Empty(await IdsAsync(none));
    }

    [SkippableTheory]
    [InlineData("CreatedAt eq null", 2)]
    [InlineData("DynamicProperties eq null", 2)]
    [InlineData("Version ne 1", 2)]
    [InlineData("AppId eq 'dyn-app-names'", 0)]
    [InlineData("TenantId ne null", 0)]
    [InlineData("caf\u00e9 eq 'x'", 0)]
    public async Task The_stores_own_columns_and_unstorable_names_read_as_absent(string filter, int count)
    {
        string user = "dyn-names-" + Guid.NewGuid().ToString("N")[..8];
        var app = service.AppOnly("dyn-app-names");
        await app.CreateAsync($"users/{user}/notifications");
        await app.CreateAsync($"users/{user}/notifications");

        var response = await app.GetAsync($"users/{user}/notifications?$filter={Uri.EscapeDataString(filter)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(count, (await IdsAsync(response)).Count);
    }

    [SkippableTheory]
    [InlineData("length(appNotificationId) gt 1")]
    [InlineData("tolower(appNotificationId) eq 'a'")]
    [InlineData("appNotificationId eq groupName")]
    [InlineData("appNotificationId eq attempt")]
    [InlineData("appNotificationId in ('a-1', 'a-2')")]
    [InlineData("attempt add 1 gt 2")]
    [InlineData("urgent gt true")]
    [InlineData("appNotificationId gt null")]
    [InlineData("appNotificationId/inner eq 1")]
    [InlineData("appNotificationId eq 2026-01-01T00:00:00Z")]
    [InlineData("appNotificationId eq microsoft.graph.priority'High'")]
    [InlineData("startswith('a-1', appNotificationId)")]
    [InlineData("targetPolicy/platformTypes/any(p: p/x eq 1)")]
    public async Task Uses_of_a_dynamic_property_the_store_cannot_run_are_a_501_that_says_what_is_supported(string filter)
    {
        var app = service.AppOnly("dyn-app-refused");
        await app.CreateAsync("users/dyn-refused/notifications");

        foreach (string url in new[]
        {
            $"users/dyn-refused/notifications?$filter={Uri.EscapeDataString(filter)}",
            $"notifications/$count?$filter={Uri.EscapeDataString(filter)}",
            $"users/dyn-refused?$expand=notifications($filter={Uri.EscapeDataString(filter)})",
        })
        {
            var response = await app.GetAsync(url);
            var error = await response.ReadObjectAsync();
            Assert.True(response.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode} {error}");
            if (response.StatusCode == HttpStatusCode.NotImplemented)
            {
                Assert.Contains("startswith", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }
    }

    [SkippableFact]
    public async Task Orderby_on_a_dynamic_property_stays_a_400()
    {
        var app = service.AppOnly("dyn-app-orderby");
        var response = await app.GetAsync("users/dyn-orderby/notifications?$orderby=appNotificationId");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<Dictionary<string, string>> SeedAsync(HttpClient app, string user)
    {
        var ids = new Dictionary<string, string>();
        foreach (var (letter, properties) in Feed)
        {
            var body = Bodies.Minimal();
            foreach (var (name, value) in properties)
            {
                body[name] = value?.DeepClone();
            }

            ids[letter] = await app.CreateAsync($"users/{user}/notifications", body);
        }

        return ids;
    }

    private static List<string> Letters(Dictionary<string, string> ids, string letters) => [.. letters.Select(l => ids[l.ToString()]).Order(StringComparer.Ordinal)];

    private static async Task<List<string>> IdsAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return Ids(JsonNode.Parse(text)!["value"]!.AsArray());
    }

    private static List<string> Ids(JsonArray items) => [.. items.Select(n => n!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
}

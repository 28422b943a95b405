using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>
/// OData query options on a feed, run by SQLite (a real file): each answer is compared with the same query
/// evaluated here over the notifications the test created.
/// </summary>
public sealed class QueryTests(QueryTests.Feed feed) : IClassFixture<QueryTests.Feed>
{
    /// <summary>One user's feed of twelve notifications with varied values, created once for the class.</summary>
    public sealed class Feed : IAsyncLifetime
    {
        public SqliteServiceFactory Service { get; } = new();

        public List<JsonObject> Created { get; } = [];

        public HttpClient Client => Service.AppOnly("query-app");

        public async Task InitializeAsync()
        {
            string[] priorities = ["None", "High", "Low"];
            string[][] platforms = [["windows"], ["ios", "android"], ["webpush", "windows"], []];
            for (int i = 0; i < 12; i++)
            {
                var body = new JsonObject
                {
                    ["targetHostName"] = i % 2 == 0 ? $"contoso-{i:00}.example" : $"fabrikam-{i:00}.test",
                    ["priority"] = i % 4 == 3 ? null : priorities[i % 3],
                    ["displayTimeToLive"] = i * 10,
                    ["groupName"] = i < 6 ? "orders" : "news",
                    ["expirationDateTime"] = DateTimeOffset.UtcNow.AddDays(i + 1).ToString("O"),
                    ["payload"] = i % 5 == 4
                        ? new JsonObject { ["rawContent"] = $"raw {i}" }
                        : new JsonObject { ["visualContent"] = new JsonObject { ["title"] = $"Title {(char)('A' + (i * 7 % 12))}", ["body"] = "b" } },
                    ["targetPolicy"] = new JsonObject { ["platformTypes"] = new JsonArray([.. platforms[i % 4].Select(p => (JsonNode)p)]) },
                };
                var response = await Client.PostAsync("users/query-user/notifications", body);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                Created.Add(await response.ReadObjectAsync());
            }
        }

        public Task DisposeAsync()
        {
            Service.Dispose();
            return Task.CompletedTask;
        }
    }

    private static string? Text(JsonObject n, params string[] path)
    {
        JsonNode? node = n;
        foreach (string step in path)
        {
            node = node?[step];
        }

        return node?.GetValue<string>();
    }

    private static int Ttl(JsonObject n) => n["displayTimeToLive"]!.GetValue<int>();

    private static DateTimeOffset Expiry(JsonObject n) => DateTimeOffset.Parse(Text(n, "expirationDateTime")!, System.Globalization.CultureInfo.InvariantCulture);

    private static string[] Platforms(JsonObject n) => [.. n["targetPolicy"]!["platformTypes"]!.AsArray().Select(p => p!.GetValue<string>())];

    public static TheoryData<string, string> Filters => new()
    {
        { "displayTimeToLive gt 50", "ttl>50" },
        { "displayTimeToLive ge 30 and displayTimeToLive le 60", "30<=ttl<=60" },
        { "not (displayTimeToLive lt 100) or groupName eq 'orders'", "ttl>=100|orders" },
        { "groupName ne 'orders'", "news" },
        { "priority eq 'High'", "High" },
        { "priority eq microsoft.graph.priority'Low'", "Low" },
        { "priority eq null", "no priority" },
        { "priority in ('High', 'None')", "High|None" },
        { "startswith(targetHostName, 'contoso')", "contoso*" },
        { "endswith(targetHostName, '.test')", "*.test" },
        { "contains(targetHostName, '-1')", "*-1*" },
        { "payload/visualContent/title eq 'Title A'", "title A" },
        { "startswith(payload/visualContent/title, 'Title')", "visual" },
        { "payload/rawContent ne null", "raw" },
        { "targetPolicy/platformTypes/any(p: p eq 'windows')", "any windows" },
        { "targetPolicy/platformTypes/all(p: p ne 'ios')", "all not ios" },
        { "expirationDateTime lt {in6days}", "expires within 6 days" },
        { "expirationDateTime gt {in6days} and priority ne 'Low'", "after 6 days, not Low" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task A_filter_answers_exactly_the_matching_notifications(string filter, string meaning)
    {
        var in6Days = DateTimeOffset.UtcNow.AddDays(6.5);
        Func<JsonObject, bool> expected = meaning switch
        {
            "ttl>50" => n => Ttl(n) > 50,
            "30<=ttl<=60" => n => Ttl(n) is >= 30 and <= 60,
            "ttl>=100|orders" => n => Ttl(n) >= 100 || Text(n, "groupName") == "orders",
            "news" => n => Text(n, "groupName") != "orders",
            "High" => n => Text(n, "priority") == "High",
            "Low" => n => Text(n, "priority") == "Low",
            "no priority" => n => Text(n, "priority") is null,
            "High|None" => n => Text(n, "priority") is "High" or "None",
            "contoso*" => n => Text(n, "targetHostName")!.StartsWith("contoso", StringComparison.Ordinal),
            "*.test" => n => Text(n, "targetHostName")!.EndsWith(".test", StringComparison.Ordinal),
            "*-1*" => n => Text(n, "targetHostName")!.Contains("-1", StringComparison.Ordinal),
            "title A" => n => Text(n, "payload", "visualContent", "title") == "Title A",
            "visual" => n => Text(n, "payload", "visualContent", "title")?.StartsWith("Title", StringComparison.Ordinal) == true,
            "raw" => n => Text(n, "payload", "rawContent") is not null,
            "any windows" => n => Platforms(n).Contains("windows"),
            "all not ios" => n => !Platforms(n).Contains("ios"),
            "expires within 6 days" => n => Expiry(n) < in6Days,
            _ => n => Expiry(n) > in6Days && Text(n, "priority") != "Low",
        };
        string query = filter.Replace("{in6days}", in6Days.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var response = await feed.Client.GetAsync($"users/query-user/notifications?$filter={Uri.EscapeDataString(query)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = (await response.ReadObjectAsync())["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).Order();
        var want = feed.Created.Where(expected).Select(n => Text(n, "id")!).Order().ToList();
        Assert.NotEmpty(want);
        Assert.Equal(want, ids);
    }

    [Fact]
    public async Task Orderby_sorts_in_the_store_with_nulls_first_ascending_and_ties_broken_by_id()
    {
        var response = await feed.Client.GetAsync("users/query-user/notifications?$orderby=priority,payload/visualContent/title desc");

        var ids = (await response.ReadObjectAsync())["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();
        int Rank(string? priority) => priority switch { null => -1, "None" => 0, "High" => 1, _ => 2 };
        var want = feed.Created
            .OrderBy(n => Rank(Text(n, "priority")))
            .ThenByDescending(n => Text(n, "payload", "visualContent", "title") is null ? 0 : 1)
            .ThenByDescending(n => Text(n, "payload", "visualContent", "title"), StringComparer.Ordinal)
            .ThenBy(n => Text(n, "id"), StringComparer.Ordinal)
            .Select(n => Text(n, "id")!).ToList();
        Assert.Equal(want, ids);
    }

    [Fact]
    public async Task The_default_order_is_newest_first()
    {
        var response = await feed.Client.GetAsync("users/query-user/notifications?$select=id");

        var ids = (await response.ReadObjectAsync())["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>());
        Assert.Equal(feed.Created.Select(n => Text(n, "id")!).Reverse(), ids);
    }

    [Fact]
    public async Task Select_returns_only_the_chosen_properties_including_complex_sub_properties()
    {
        var response = await feed.Client.GetAsync("users/query-user/notifications?$select=targetHostName,payload/visualContent/title&$top=1");

        var body = await response.ReadObjectAsync();
        Assert.Equal("http://localhost/v1.0/$metadata#notifications(targetHostName,payload/visualContent/title)", Text(body, "@odata.context"));
        var item = body["value"]![0]!.AsObject();
        // A feed's item also names its identity and its edit link, the feed's path (docs/recipient.md).
        Assert.Equal(["@odata.editLink", "@odata.etag", "@odata.id", "@odata.type", "payload", "targetHostName"], item.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["@odata.type", "visualContent"], item["payload"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["@odata.type", "title"], item["payload"]!["visualContent"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Top_skip_and_count_apply_to_the_filtered_feed()
    {
        var response = await feed.Client.GetAsync("users/query-user/notifications?$filter=groupName eq 'orders'&$count=true&$skip=1&$top=3&$select=id");

        var body = await response.ReadObjectAsync();
        var orders = feed.Created.Where(n => Text(n, "groupName") == "orders").Select(n => Text(n, "id")!).Reverse().ToList();
        Assert.Equal(orders.Count, body["@odata.count"]!.GetValue<int>());
        Assert.Equal(orders.Skip(1).Take(3), body["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
        Assert.Null(body["@odata.nextLink"]);
    }

    [Fact]
    public async Task The_count_segment_answers_the_filtered_number_as_text()
    {
        var response = await feed.Client.GetAsync("users/query-user/notifications/$count?$filter=" + Uri.EscapeDataString("priority eq 'High'"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(feed.Created.Count(n => Text(n, "priority") == "High").ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Expand_on_a_user_applies_the_nested_options_in_the_store()
    {
        string nested = Uri.EscapeDataString("notifications($filter=groupName eq 'news';$orderby=displayTimeToLive desc;$top=2;$select=displayTimeToLive)");

        var response = await feed.Client.GetAsync($"users/query-user?$expand={nested}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await response.ReadObjectAsync();
        Assert.Equal("query-user", Text(user, "id"));
        var ttls = user["notifications"]!.AsArray().Select(n => n!["displayTimeToLive"]!.GetValue<int>());
        Assert.Equal(feed.Created.Where(n => Text(n, "groupName") == "news").Select(Ttl).OrderDescending().Take(2), ttls);
    }

    [Fact]
    public async Task Expand_on_the_users_collection_and_on_me()
    {
        var users = await (await feed.Client.GetAsync("users?$expand=notifications($select=id;$top=1)")).ReadObjectAsync();
        var me = await (await feed.Service.Delegated("query-user", "query-app").GetAsync("me?$expand=notifications($select=id)")).ReadObjectAsync();

        var queryUser = Assert.Single(users["value"]!.AsArray());
        Assert.Equal("query-user", Text(queryUser!.AsObject(), "id"));
        Assert.Single(queryUser["notifications"]!.AsArray());
        Assert.Equal(feed.Created.Count, me["notifications"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("$apply=aggregate(displayTimeToLive with sum as total)", HttpStatusCode.NotImplemented)]
    [InlineData("$search=hello", HttpStatusCode.NotImplemented)]
    [InlineData("$compute=displayTimeToLive mul 2 as double", HttpStatusCode.NotImplemented)]
    [InlineData("$frobnicate=1", HttpStatusCode.BadRequest)]
    [InlineData("$filter=priority has microsoft.graph.priority'High'", HttpStatusCode.BadRequest)]
    [InlineData("$filter=not (priority has microsoft.graph.priority'None')", HttpStatusCode.BadRequest)]
    [InlineData("$top=1000", HttpStatusCode.BadRequest)]
    [InlineData("$top=-1", HttpStatusCode.BadRequest)]
    [InlineData("$skip=abc", HttpStatusCode.BadRequest)]
    [InlineData("$filter=targetHostName eq", HttpStatusCode.BadRequest)]
    [InlineData("$filter=nothing add 1 eq 2", HttpStatusCode.NotImplemented)]
    [InlineData("$filter=year(expirationDateTime) eq 2026", HttpStatusCode.BadRequest)]
    [InlineData("$orderby=appNotificationId", HttpStatusCode.BadRequest)]
    [InlineData("$orderby=id,groupName,priority,targetHostName,displayTimeToLive,expirationDateTime", HttpStatusCode.BadRequest)]
    [InlineData("$expand=notifications", HttpStatusCode.BadRequest)]
    [InlineData("$top=1&$top=2", HttpStatusCode.BadRequest)]
    [InlineData("$skiptoken=forged", HttpStatusCode.BadRequest)]
    public async Task An_option_the_service_cannot_honor_is_an_error_never_ignored(string query, HttpStatusCode status)
    {
        var response = await feed.Client.GetAsync($"users/query-user/notifications?{query}");

        Assert.Equal(status, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await response.ReadObjectAsync()).ErrorMessage()));
    }

    [Fact]
    public async Task A_filter_past_the_node_limit_is_a_400()
    {
        string filter = string.Join(" or ", Enumerable.Range(0, 60).Select(i => $"displayTimeToLive eq {i}"));

        var response = await feed.Client.GetAsync($"users/query-user/notifications?$filter={Uri.EscapeDataString(filter)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("node count", (await response.ReadObjectAsync()).ErrorMessage(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Expand_deeper_than_one_level_is_a_400()
    {
        var response = await feed.Client.GetAsync("users/query-user?$expand=" + Uri.EscapeDataString("notifications($expand=notifications)"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>Server-driven paging by keyset on SQLite: every item exactly once, in order, across pages.</summary>
public sealed class PagingTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>
{
    private static async Task<List<string>> CreateManyAsync(HttpClient app, string user, int count, Func<int, JsonObject>? body = null)
    {
        var ids = new List<string>();
        for (int i = 0; i < count; i++)
        {
            ids.Add(await app.CreateAsync($"users/{user}/notifications", body?.Invoke(i)));
        }

        return ids;
    }

    /// <summary>Follows @odata.nextLink to the end; returns every page.</summary>
    private static async Task<List<JsonObject>> ReadAllPagesAsync(HttpClient client, string url, string? prefer = null)
    {
        var pages = new List<JsonObject>();
        string? next = url;
        while (next is not null)
        {
            Assert.True(pages.Count < 50, "paging does not end");
            var request = new HttpRequestMessage(HttpMethod.Get, next);
            if (prefer is not null)
            {
                request.Headers.Add("Prefer", prefer);
            }

            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.ReadObjectAsync();
            pages.Add(page);
            next = page["@odata.nextLink"]?.GetValue<string>();
        }

        return pages;
    }

    private static IEnumerable<string> Ids(JsonObject page) => page["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>());

    [Fact]
    public async Task Maxpagesize_pages_a_feed_newest_first_and_the_last_page_has_no_next_link()
    {
        var app = service.AppOnly("paging-app-1");
        var created = await CreateManyAsync(app, "pager-1", 25);

        var pages = await ReadAllPagesAsync(app, "users/pager-1/notifications?$select=id", prefer: "odata.maxpagesize=10");

        Assert.Equal([10, 10, 5], pages.Select(p => p["value"]!.AsArray().Count));
        Assert.Equal(Enumerable.Reverse(created), pages.SelectMany(Ids));
        Assert.All(pages[..^1], p => Assert.Contains("$skiptoken=", p["@odata.nextLink"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Null(pages[^1]["@odata.nextLink"]);
    }

    [Fact]
    public async Task The_applied_page_size_is_reported_and_capped_at_999()
    {
        var app = service.AppOnly("paging-app-2");
        await CreateManyAsync(app, "pager-2", 2);

        var small = new HttpRequestMessage(HttpMethod.Get, "users/pager-2/notifications");
        small.Headers.Add("Prefer", "odata.maxpagesize=1");
        var large = new HttpRequestMessage(HttpMethod.Get, "users/pager-2/notifications");
        large.Headers.Add("Prefer", "odata.maxpagesize=5000");

        var smallResponse = await app.SendAsync(small);
        var largeResponse = await app.SendAsync(large);

        Assert.Equal("odata.maxpagesize=1", Assert.Single(smallResponse.Headers.GetValues("Preference-Applied")));
        Assert.Single((await smallResponse.ReadObjectAsync())["value"]!.AsArray());
        Assert.Equal("odata.maxpagesize=999", Assert.Single(largeResponse.Headers.GetValues("Preference-Applied")));
    }

    [Fact]
    public async Task Without_a_preference_a_page_has_100_items()
    {
        var app = service.AppOnly("paging-app-3");
        await CreateManyAsync(app, "pager-3", 101);

        var pages = await ReadAllPagesAsync(app, "users/pager-3/notifications");

        Assert.Equal([100, 1], pages.Select(p => p["value"]!.AsArray().Count));
    }

    [Fact]
    public async Task The_next_link_carries_the_other_options_and_the_rest_of_top()
    {
        var app = service.AppOnly("paging-app-4");
        var created = await CreateManyAsync(app, "pager-4", 30, i => Bodies.Minimal(i % 2 == 0 ? "even" : "odd"));
        string filter = Uri.EscapeDataString("payload/visualContent/title eq 'even'");

        var pages = await ReadAllPagesAsync(app, $"users/pager-4/notifications?$filter={filter}&$select=id&$top=12&$count=true", prefer: "odata.maxpagesize=5");

        Assert.Equal([5, 5, 2], pages.Select(p => p["value"]!.AsArray().Count));
        var evens = created.Where((_, i) => i % 2 == 0).Reverse().Take(12);
        Assert.Equal(evens, pages.SelectMany(Ids));
        Assert.All(pages, p => Assert.Equal(15, p["@odata.count"]!.GetValue<int>()));
        string secondLink = pages[0]["@odata.nextLink"]!.GetValue<string>();
        Assert.Contains("$filter=", secondLink, StringComparison.Ordinal);
        Assert.Contains("$select=id", secondLink, StringComparison.Ordinal);
        Assert.DoesNotContain("$top", secondLink, StringComparison.Ordinal);
        Assert.All(pages[1]["value"]!.AsArray(), n => Assert.Equal(["@odata.editLink", "@odata.etag", "@odata.id", "@odata.type", "id"], n!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Orderby_with_ties_and_nulls_pages_every_item_exactly_once_in_order()
    {
        var app = service.AppOnly("paging-app-5");
        string[] groups = ["b", "a", "c"];
        await CreateManyAsync(app, "pager-5", 23, i => new JsonObject
        {
            ["targetHostName"] = "host",
            ["groupName"] = i % 4 == 0 ? null : groups[i % 3],
            ["payload"] = new JsonObject { ["rawContent"] = "r" },
        });
        var all = await (await app.GetAsync("users/pager-5/notifications?$orderby=groupName desc&$select=id,groupName")).ReadObjectAsync();

        var pages = await ReadAllPagesAsync(app, "users/pager-5/notifications?$orderby=groupName desc&$select=id,groupName", prefer: "odata.maxpagesize=4");

        var paged = pages.SelectMany(p => p["value"]!.AsArray()).Select(n => (Id: n!["id"]!.GetValue<string>(), Group: n["groupName"]?.GetValue<string>())).ToList();
        Assert.Equal(23, paged.Select(p => p.Id).Distinct().Count());
        Assert.Equal(Ids(all), paged.Select(p => p.Id));
        var expected = paged.OrderByDescending(p => p.Group is null ? 0 : 1).ThenByDescending(p => p.Group, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal);
        Assert.Equal(expected, paged);
        Assert.True(paged[^1].Group is null, "nulls come last when descending");
    }

    [Fact]
    public async Task Notifications_created_while_a_client_pages_do_not_shift_the_pages()
    {
        var app = service.AppOnly("paging-app-6");
        var created = await CreateManyAsync(app, "pager-6", 9);
        var request = new HttpRequestMessage(HttpMethod.Get, "users/pager-6/notifications?$select=id");
        request.Headers.Add("Prefer", "odata.maxpagesize=3");
        var first = await (await app.SendAsync(request)).ReadObjectAsync();

        await CreateManyAsync(app, "pager-6", 2);
        var rest = await ReadAllPagesAsync(app, first["@odata.nextLink"]!.GetValue<string>(), prefer: "odata.maxpagesize=3");

        Assert.Equal(Enumerable.Reverse(created), Ids(first).Concat(rest.SelectMany(Ids)));
    }

    [Fact]
    public async Task A_skiptoken_replayed_with_another_filter_is_a_400()
    {
        var app = service.AppOnly("paging-app-7");
        await CreateManyAsync(app, "pager-7", 3);
        var request = new HttpRequestMessage(HttpMethod.Get, "users/pager-7/notifications");
        request.Headers.Add("Prefer", "odata.maxpagesize=1");
        string next = (await (await app.SendAsync(request)).ReadObjectAsync())["@odata.nextLink"]!.GetValue<string>();

        var response = await app.GetAsync(next + "&$filter=" + Uri.EscapeDataString("groupName eq 'x'"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_ref_collection_pages_and_filters_like_the_feed()
    {
        var app = service.AppOnly("paging-app-9");
        var created = await CreateManyAsync(app, "pager-9", 5, i => Bodies.Minimal($"t{i % 2}"));

        var pages = await ReadAllPagesAsync(app, "users/pager-9/notifications/$ref?$filter=" + Uri.EscapeDataString("payload/visualContent/title eq 't0'"), prefer: "odata.maxpagesize=2");

        var urls = pages.SelectMany(p => p["value"]!.AsArray()).Select(r => r!["@odata.id"]!.GetValue<string>());
        Assert.Equal(created.Where((_, i) => i % 2 == 0).Reverse().Select(id => $"http://localhost/v1.0/notifications('{id}')"), urls);
        Assert.Equal(2, pages.Count);
    }

    [Fact]
    public async Task The_entity_set_and_the_users_collection_page_too()
    {
        var app = service.AppOnly("paging-app-8");
        var created = new List<string>();
        for (int i = 0; i < 7; i++)
        {
            created.Add(await app.CreateAsync($"users/pager-8-{i}/notifications"));
        }

        var notifications = await ReadAllPagesAsync(app, "notifications?$select=id", prefer: "odata.maxpagesize=3");
        var users = await ReadAllPagesAsync(app, "users", prefer: "odata.maxpagesize=3");

        Assert.Equal(Enumerable.Reverse(created), notifications.SelectMany(Ids));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"pager-8-{i}"), users.SelectMany(Ids));
        Assert.Equal(3, users.Count);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Batch;
using GraphNotifications.Tests.Infrastructure;
using static GraphNotifications.Tests.Delta.DeltaSync;

namespace GraphNotifications.Tests.Delta;

/// <summary>Delta on EF Core's in-memory store.</summary>
public sealed class InMemoryDeltaQueryTests(ServiceFactory service) : DeltaQueryTests<ServiceFactory>(service);

/// <summary>Delta on a SQLite file.</summary>
public sealed class SqliteDeltaQueryTests(SqliteServiceFactory service) : DeltaQueryTests<SqliteServiceFactory>(service);

/// <summary>Delta on PostgreSQL; skipped where no server is configured (failed under CI).</summary>
public sealed class PostgresDeltaQueryTests : DeltaQueryTests<PostgresServiceFactory>
{
    public PostgresDeltaQueryTests(PostgresServiceFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();
}

/// <summary>
/// Graph's delta query on a user's feed, as a syncing client sees it: the initial sync pages to a deltaLink, and the
/// deltaLink returns what changed since. Each test uses its own app.
/// </summary>
public abstract class DeltaQueryTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{
    [SkippableFact]
    public async Task The_initial_sync_pages_through_the_feed_to_a_delta_link_and_sends_every_notification_once()
    {
        var app = service.AppOnly("delta-app-1");
        var created = new List<string>();
        for (int i = 0; i < 7; i++)
        {
            created.Add(await app.CreateAsync("users/delta-u1/notifications"));
        }

        await app.CreateAsync("users/delta-someone-else/notifications");

        var round = await FollowAsync(app, "users/delta-u1/notifications/delta", maxPageSize: 3);

        Assert.Equal(3, round.Pages);
        Assert.Equal(created.Order(), round.Items.Select(Id).Order());
        Assert.All(round.Items, i => Assert.StartsWith("W/\"", i["@odata.etag"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(round.Items, i => Assert.Equal("#microsoft.graph.notification", i["@odata.type"]!.GetValue<string>()));
        Assert.All(round.Items, i => Assert.Null(i["@removed"]));
        Assert.Contains("$deltatoken=", round.DeltaLink, StringComparison.Ordinal);
        Assert.StartsWith("http://localhost/v1.0/users/delta-u1/notifications/delta?", round.DeltaLink, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_delta_link_returns_created_patched_dismissed_and_deleted_notifications_once_each()
    {
        var app = service.AppOnly("delta-app-2");
        string patched = await app.CreateAsync("users/delta-u2/notifications");
        string deleted = await app.CreateAsync("users/delta-u2/notifications");
        string dismissed = await app.CreateAsync("users/delta-u2/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync("users/delta-u3/notifications/$ref", Bodies.Reference(dismissed))).StatusCode);
        string untouched = await app.CreateAsync("users/delta-u2/notifications");
        var initial = await FollowAsync(app, "users/delta-u2/notifications/delta");
        Assert.Equal(4, initial.Items.Count);

        string created = await app.CreateAsync("users/delta-u2/notifications");
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"notifications/{patched}", new JsonObject { ["groupName"] = $"g{i}" })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync($"users/delta-u2/notifications/{dismissed}/$ref")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync($"notifications/{deleted}")).StatusCode);
        await app.CreateAsync("users/delta-u3/notifications");

        var changes = await FollowAsync(app, initial.DeltaLink);

        var byId = changes.Items.ToDictionary(Id);
        Assert.Equal(new[] { created, deleted, dismissed, patched }.Order(), byId.Keys.Order());
        Assert.DoesNotContain(untouched, byId.Keys);
        Assert.Null(Removed(byId[created]));
        Assert.Equal("g3", byId[patched]["groupName"]!.GetValue<string>());
        Assert.Equal("changed", Removed(byId[dismissed]));
        Assert.Equal("deleted", Removed(byId[deleted]));
        Assert.Equal(2, byId[deleted].Count);

        // The other feed that held the dismissed notification still has it, and saw nothing leave.
        var other = await FollowAsync(app, "users/delta-u3/notifications/delta");
        Assert.Contains(dismissed, other.Items.Select(Id));
    }

    [SkippableFact]
    public async Task Nothing_changed_is_an_empty_page_with_a_new_delta_link_that_still_works()
    {
        var app = service.AppOnly("delta-app-3");
        await app.CreateAsync("users/delta-u4/notifications");
        var initial = await FollowAsync(app, "users/delta-u4/notifications/delta");

        var nothing = await FollowAsync(app, initial.DeltaLink);
        Assert.Empty(nothing.Items);
        Assert.Equal(1, nothing.Pages);
        Assert.NotEqual(initial.DeltaLink, nothing.DeltaLink);

        string later = await app.CreateAsync("users/delta-u4/notifications");
        Assert.Equal([later], (await FollowAsync(app, nothing.DeltaLink)).Items.Select(Id));
    }

    [SkippableFact]
    public async Task Changes_page_with_next_links_too()
    {
        var app = service.AppOnly("delta-app-4");
        var initial = await FollowAsync(app, "users/delta-u5/notifications/delta");
        Assert.Empty(initial.Items);
        var created = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            created.Add(await app.CreateAsync("users/delta-u5/notifications"));
        }

        var changes = await FollowAsync(app, initial.DeltaLink, maxPageSize: 2);

        Assert.Equal(3, changes.Pages);
        Assert.Equal(created, changes.Items.Select(Id));
    }

    [SkippableFact]
    public async Task Select_on_the_first_call_shapes_every_later_page_and_the_id_is_always_there()
    {
        var app = service.AppOnly("delta-app-5");
        for (int i = 0; i < 3; i++)
        {
            await app.CreateAsync("users/delta-u6/notifications");
        }

        var initial = await FollowAsync(app, "users/delta-u6/notifications/delta?$select=groupName", maxPageSize: 2);
        Assert.Equal(2, initial.Pages);
        string id = Id(initial.Items[0]);
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"notifications/{id}", new JsonObject { ["groupName"] = "selected" })).StatusCode);

        var changes = await FollowAsync(app, initial.DeltaLink);

        Assert.All(initial.Items.Concat(changes.Items), item =>
        {
            Assert.NotNull(item["id"]);
            Assert.Null(item["targetHostName"]);
            Assert.Null(item["payload"]);
        });
        Assert.Equal("selected", Assert.Single(changes.Items)["groupName"]!.GetValue<string>());
        Assert.DoesNotContain("select", initial.DeltaLink, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task Select_reads_property_names_as_every_collection_does_whatever_their_case()
    {
        var user = service.Delegated("delta-u15", "delta-app-13");
        await user.CreateAsync("me/notifications", new JsonObject
        {
            ["targetHostName"] = "contoso.example",
            ["groupName"] = "cased",
            ["payload"] = new JsonObject { ["visualContent"] = new JsonObject { ["title"] = "t" } },
        });

        var round = await FollowAsync(user, "me/notifications/delta?$select=GroupName");

        Assert.Equal("cased", Assert.Single(round.Items)["groupName"]!.GetValue<string>());
    }

    [SkippableTheory]
    [InlineData("me/notifications/delta")]
    [InlineData("me/notifications/delta()")]
    [InlineData("me/notifications/microsoft.graph.delta()")]
    [InlineData("users/delta-u7/notifications/delta")]
    [InlineData("users('delta-u7')/notifications/delta()")]
    [InlineData("users/delta-u7/notifications/microsoft.graph.delta()")]
    [InlineData("../beta/me/notifications/delta")]
    public async Task Every_spelling_of_the_function_is_the_delta_query(string path)
    {
        var user = service.Delegated("delta-u7", "delta-app-6");
        string id = await user.CreateAsync("me/notifications");

        var round = await FollowAsync(user, path);

        Assert.Contains(id, round.Items.Select(Id));
        Assert.Contains("$deltatoken=", round.DeltaLink, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_delta_call_inside_a_batch_answers_as_it_does_alone()
    {
        var user = service.Delegated("delta-u14", "delta-app-12");
        string id = await user.CreateAsync("me/notifications");

        var responses = await user.BatchAsync(BatchRequests.Request("1", "GET", "/me/notifications/delta?$select=groupName"));

        Assert.Equal(200, responses["1"].Status());
        var body = responses["1"].Body();
        Assert.Equal([id], body["value"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()));
        Assert.Contains("$deltatoken=", body["@odata.deltaLink"]!.GetValue<string>(), StringComparison.Ordinal);
        var later = await FollowAsync(user, body["@odata.deltaLink"]!.GetValue<string>());
        Assert.Empty(later.Items);
    }

    [SkippableFact]
    public async Task A_notification_called_delta_is_still_reached_by_its_parenthesized_key()
    {
        var user = service.Delegated("delta-u8", "delta-app-7");

        var response = await user.GetAsync("me/notifications('delta')");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [SkippableFact]
    public async Task Tokens_of_another_user_app_or_tenant_and_tampered_tokens_are_410_sync_state_not_found()
    {
        var app = service.AppOnly("delta-app-8");
        await app.CreateAsync("users/delta-u9/notifications");
        await app.CreateAsync("users/delta-u9/notifications");
        var initial = await FollowAsync(app, "users/delta-u9/notifications/delta");
        var first = await PageAsync(app, "users/delta-u9/notifications/delta", maxPageSize: 1);
        string nextLink = first["@odata.nextLink"]!.GetValue<string>();
        string token = initial.DeltaLink[(initial.DeltaLink.IndexOf("$deltatoken=", StringComparison.Ordinal) + "$deltatoken=".Length)..];

        await GoneAsync(app, $"users/delta-u10/notifications/delta?$deltatoken={token}");
        await GoneAsync(service.AppOnly("delta-app-9"), initial.DeltaLink);
        await GoneAsync(service.ClientWith(TestTokens.AppOnly("delta-app-8", tweak: TestTokens.InTenant("delta-fabrikam"))), initial.DeltaLink);
        await GoneAsync(app, initial.DeltaLink[..^3] + (initial.DeltaLink[^3] == 'A' ? "B" : "A") + initial.DeltaLink[^2..]);
        await GoneAsync(app, "users/delta-u9/notifications/delta?$deltatoken=garbage");
        await GoneAsync(app, $"users/delta-u9/notifications/delta?$skiptoken={token}");
        await GoneAsync(app, nextLink.Replace("$skiptoken=", "$deltatoken=", StringComparison.Ordinal));

        // The real links still work.
        Assert.Single((await FollowAsync(app, nextLink)).Items);
        Assert.Empty((await FollowAsync(app, initial.DeltaLink)).Items);
    }

    [SkippableFact]
    public async Task The_delta_query_is_the_feed_lists_authorization()
    {
        var user = service.Delegated("delta-u11", "delta-app-10");

        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("users/delta-u12/notifications/delta")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await service.AppOnly("delta-app-10").GetAsync("me/notifications/delta")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.ClientWith(null).GetAsync("me/notifications/delta")).StatusCode);
    }

    [SkippableTheory]
    [InlineData("$filter=groupName eq 'x'")]
    [InlineData("$orderby=id")]
    [InlineData("$top=1")]
    [InlineData("$skip=1")]
    [InlineData("$count=true")]
    [InlineData("$expand=x")]
    [InlineData("$search=x")]
    [InlineData("top=1")]
    [InlineData("$select=groupName&$select=id")]
    [InlineData("$select=")]
    [InlineData("$select=targetPolicy/platformTypes($top=1)")]
    [InlineData("$deltatoken=x&$skiptoken=y")]
    [InlineData("$deltatoken=x&$select=id")]
    [InlineData("$select=id&=1")]
    public async Task Other_query_options_are_a_400(string query)
    {
        var user = service.Delegated("delta-u13", "delta-app-11");

        var response = await user.GetAsync("me/notifications/delta?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("badRequest", (await response.ReadObjectAsync()).ErrorCode());
    }
    [SkippableTheory]
    [InlineData("text/*")]
    [InlineData("text/json")]
    public async Task A_format_other_than_OData_JSON_is_a_406_not_a_bare_array(string accept)
    {
        var user = service.Delegated("delta-u16", "delta-app-14");
        await user.CreateAsync("me/notifications");
        using var request = new HttpRequestMessage(HttpMethod.Get, "me/notifications/delta");
        request.Headers.Accept.ParseAdd(accept);

        var response = await user.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("notAcceptable", (await response.ReadObjectAsync()).ErrorCode());
    }
}

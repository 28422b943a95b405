using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>Creating notifications through a user's feed and through the <c>notifications</c> entity set.</summary>
public sealed class CreatingTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task An_app_posting_to_a_users_feed_creates_the_notification_in_that_feed_only()
    {
        var app = service.AppOnly("create-app-1");

        string id = await app.CreateAsync("users/alice-1/notifications");

        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"users/alice-1/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"users/bob-1/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"notifications/{id}")).StatusCode);
    }

    [Fact]
    public async Task Posting_to_the_entity_set_creates_a_notification_linked_to_nobody()
    {
        var app = service.AppOnly("create-app-2");

        var response = await app.PostAsync("notifications", Bodies.Minimal());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        string id = (await response.ReadObjectAsync())["id"]!.GetValue<string>();
        Assert.Equal(new Uri($"http://localhost/v1.0/notifications('{id}')"), response.Headers.Location);
        var everything = await (await app.GetAsync("notifications")).ReadObjectAsync();
        Assert.Contains(everything["value"]!.AsArray(), n => n!["id"]!.GetValue<string>() == id);
        var feed = await (await app.GetAsync("users/carol-2/notifications")).ReadObjectAsync();
        Assert.Empty(feed["value"]!.AsArray());
    }

    [Theory]
    [InlineData("#microsoft.graph.notification", "#microsoft.graph.payloadTypes")]
    [InlineData("microsoft.graph.notification", "microsoft.graph.payloadTypes")]
    [InlineData("graph.notification", "graph.payloadTypes")]
    [InlineData("#graph.notification", "#graph.payloadTypes")]
    public async Task The_type_annotation_is_honored_with_or_without_hash_and_by_alias(string entityType, string payloadType)
    {
        var client = service.Delegated("types-user", "types-app");
        var body = Bodies.Minimal();
        body["@odata.type"] = entityType;
        body["payload"]!["@odata.type"] = payloadType;

        var response = await client.PostAsync("me/notifications", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("#microsoft.graph.notification", (await response.ReadObjectAsync())["@odata.type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", "#microsoft.graph.user", "@odata.type")]
    [InlineData("", "#microsoft.graph.entity", "@odata.type")]
    [InlineData("", "microsoft.graph.nothing", "@odata.type")]
    [InlineData("payload", "#microsoft.graph.visualProperties", "payload/@odata.type")]
    [InlineData("payload/visualContent", "graph.payloadTypes", "payload/visualContent/@odata.type")]
    public async Task A_type_annotation_naming_another_type_is_a_400(string where, string type, string target)
    {
        var client = service.Delegated("types-user-2", "types-app");
        var body = Bodies.Minimal();
        JsonNode node = body;
        foreach (string step in where.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node[step]!;
        }

        node["@odata.type"] = type;

        var response = await client.PostAsync("me/notifications", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([target], (await response.ReadObjectAsync()).ErrorTargets());
    }

    [Fact]
    public async Task Undeclared_properties_are_kept_as_dynamic_properties()
    {
        var client = service.Delegated("dynamic-user", "dynamic-app");
        var body = Bodies.Minimal();
        body["appNotificationId"] = "order-42";
        body["retryCount"] = 3;
        body["urgent"] = true;

        string id = await client.CreateAsync("me/notifications", body);

        var read = await (await client.GetAsync($"me/notifications/{id}")).ReadObjectAsync();
        Assert.Equal("order-42", read["appNotificationId"]!.GetValue<string>());
        Assert.Equal(3, read["retryCount"]!.GetValue<int>());
        Assert.True(read["urgent"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_201_writes_dynamic_numbers_as_every_later_read_does()
    {
        var client = service.Delegated("dynamic-user", "dynamic-app");
        var body = Bodies.Minimal();
        body["retryCount"] = 3;
        body["ratio"] = 0.5;
        body["big"] = 9007199254740993;

        var created = await client.PostAsync("me/notifications", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answer = await created.ReadObjectAsync();
        var read = await (await client.GetAsync($"me/notifications/{answer["id"]}")).ReadObjectAsync();

        foreach (string name in new[] { "retryCount", "ratio", "big" })
        {
            Assert.Equal(read[name]!.ToJsonString(), answer[name]!.ToJsonString());
            Assert.Equal(read[name + "@odata.type"]?.ToJsonString(), answer[name + "@odata.type"]?.ToJsonString());
        }

        Assert.Null(answer["retryCount@odata.type"]);
    }

    [Fact]
    public async Task The_id_is_assigned_by_the_service_and_a_sent_id_is_refused()
    {
        var client = service.Delegated("id-user", "id-app");
        var withId = Bodies.Minimal();
        withId["id"] = "my-own-id";
        var withNullId = Bodies.Minimal();
        withNullId["id"] = null;

        var refused = await client.PostAsync("me/notifications", withId);
        string assigned = await client.CreateAsync("me/notifications", withNullId);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = await refused.ReadObjectAsync();
        Assert.Equal(["id"], error.ErrorTargets());
        Assert.Equal("readOnlyProperty", error["error"]!["details"]![0]!["code"]!.GetValue<string>());
        Assert.True(Guid.TryParse(assigned, out _));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("me/notifications/my-own-id")).StatusCode);
    }

    [Fact]
    public async Task Assigned_ids_are_GUIDs_that_sort_in_creation_order()
    {
        var client = service.Delegated("ids-" + Guid.NewGuid().ToString("N"), "ids-app");

        var ids = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            ids.Add(await client.CreateAsync("me/notifications", Bodies.Minimal()));
            await Task.Delay(2);
        }

        Assert.All(ids, id => Assert.True(Guid.TryParse(id, out _), id));
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Without_an_expiry_a_notification_expires_after_Graphs_maximum_of_30_days()
    {
        var client = service.Delegated("expiry-user", "expiry-app");
        var before = DateTimeOffset.UtcNow;

        var response = await client.PostAsync("me/notifications", Bodies.Minimal());

        var body = await response.ReadObjectAsync();
        string text = body["expirationDateTime"]!.GetValue<string>();
        var expires = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
        Assert.EndsWith("Z", text, StringComparison.Ordinal);
        Assert.InRange(expires, before.AddDays(30).AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(30).AddSeconds(1));
    }

    [Fact]
    public async Task An_expiry_with_an_offset_keeps_its_instant_and_is_returned_in_UTC()
    {
        var client = service.Delegated("expiry-user-2", "expiry-app");
        var instant = new DateTimeOffset(DateTime.UtcNow.AddDays(2).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var body = Bodies.Minimal();
        body["expirationDateTime"] = instant.ToOffset(TimeSpan.FromHours(3)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

        string id = await client.CreateAsync("me/notifications", body);

        var read = await (await client.GetAsync($"me/notifications/{id}")).ReadObjectAsync();
        string text = read["expirationDateTime"]!.GetValue<string>();
        Assert.Equal(instant, DateTimeOffset.Parse(text, CultureInfo.InvariantCulture));
        Assert.EndsWith("Z", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_collection_answers_at_most_100_items()
    {
        var app = service.AppOnly("page-app");
        for (int i = 0; i < 101; i++)
        {
            await app.CreateAsync("users/paged-user/notifications");
        }

        var feed = await (await app.GetAsync("users/paged-user/notifications")).ReadObjectAsync();

        Assert.Equal(100, feed["value"]!.AsArray().Count);
    }
}

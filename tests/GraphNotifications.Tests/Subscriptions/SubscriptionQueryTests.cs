using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GraphNotifications.Tests.Subscriptions;

/// <summary>The subscriptions collection answers the query options every collection does, in the database (SQLite).</summary>
public sealed class SubscriptionQueryTests(SqliteStoreFactory service) : IClassFixture<SqliteStoreFactory>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;
    private WebApplicationFactory<Program> _factory = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _factory = service.WithWebHostBuilder(b => b.UseSetting("Subscriptions:AllowPrivateNotificationUrls", "true"));
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Filter_orderby_select_top_and_paging_work_on_subscriptions()
    {
        using var client = _factory.ClientWith(TestTokens.AppOnly("query-app", tweak: d => d.Expires = DateTime.UtcNow.AddDays(2)));
        var ids = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            ids.Add((await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, $"users/query-u{i}/notifications", TimeSpan.FromHours(i),
                changeType: i == 2 ? "deleted" : "created")))["id"]!.GetValue<string>());
        }

        var filtered = await client.ReadNotificationAsync("subscriptions?$filter=changeType eq 'deleted'&$select=id,resource");
        var only = Assert.Single(filtered["value"]!.AsArray())!.AsObject();
        Assert.Equal(ids[1], only["id"]!.GetValue<string>());
        Assert.Null(only["notificationUrl"]);

        var ordered = await client.ReadNotificationAsync("subscriptions?$orderby=expirationDateTime desc");
        Assert.Equal(ids.AsEnumerable().Reverse(), ordered["value"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));

        var page = await client.ReadNotificationAsync("subscriptions?$top=5&$count=true");
        Assert.Equal(3, page["@odata.count"]!.GetValue<int>());

        using var paged = new HttpRequestMessage(HttpMethod.Get, "subscriptions");
        paged.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=2");
        var first = JsonNode.Parse(await (await client.SendAsync(paged)).Content.ReadAsStringAsync())!;
        Assert.Equal(2, first["value"]!.AsArray().Count);
        var second = await client.ReadNotificationAsync(first["@odata.nextLink"]!.GetValue<string>());
        Assert.Single(second["value"]!.AsArray());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("subscriptions?$filter=nope eq 1")).StatusCode);
    }
}

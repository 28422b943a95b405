using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Subscriptions;

/// <summary>Subscriptions on PostgreSQL: the migration's table, ownership and the queries run there too.</summary>
public sealed class PostgresSubscriptionTests(PostgresServiceFactory service) : IClassFixture<PostgresServiceFactory>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [SkippableFact]
    public async Task A_subscription_is_created_read_filtered_renewed_and_deleted_by_its_owner_only()
    {
        service.Database.SkipUnlessAvailable();
        using var owner = service.AppOnly("pg-sub-app");
        using var stranger = service.AppOnly("pg-sub-other");
        string id = (await owner.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "users/pg-u1/notifications")))["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"subscriptions/{id}")).StatusCode);
        var filtered = await owner.ReadNotificationAsync($"subscriptions?$filter=resource eq 'users/pg-u1/notifications'&$orderby=expirationDateTime");
        Assert.Equal(id, Assert.Single(filtered["value"]!.AsArray())!["id"]!.GetValue<string>());
        var renewed = await owner.PatchAsync($"subscriptions/{id}", new JsonObject { ["expirationDateTime"] = SubscriptionBodies.In(TimeSpan.FromDays(2)) });
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"subscriptions/{id}")).StatusCode);
        Assert.Empty(await owner.SubscriptionIdsAsync());
    }
}

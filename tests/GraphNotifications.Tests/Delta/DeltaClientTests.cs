using GraphNotifications.Tests.Client;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Delta;

/// <summary>The Kiota client generated from csdl/openapi.json syncs a feed with delta, over HTTP, as generated.</summary>
public sealed class DeltaClientTests(KestrelServiceFactory service) : IClassFixture<KestrelServiceFactory>
{
    [Fact]
    public async Task The_generated_client_syncs_the_feed_then_reads_its_changes_from_the_delta_link()
    {
        var client = service.KiotaDelegated("kiota-delta-user", "kiota-delta-app");
        var first = await client.Me.Notifications.PostAsync(KiotaClients.Notification("before the sync"));

        var initial = await client.Me.Notifications.MicrosoftGraphDelta.GetAsync();
        Assert.Equal(first!.Id, Assert.Single(initial!.Value!).Id);
        Assert.Null(initial.OdataNextLink);
        Assert.NotNull(initial.OdataDeltaLink);

        var second = await client.Me.Notifications.PostAsync(KiotaClients.Notification("after the sync"));
        var changes = await client.Me.Notifications.MicrosoftGraphDelta.WithUrl(initial.OdataDeltaLink).GetAsync();

        Assert.Equal(second!.Id, Assert.Single(changes!.Value!).Id);
        Assert.Equal("after the sync", changes.Value![0].Payload?.VisualContent?.Title);
        Assert.NotNull(changes.OdataDeltaLink);
    }
}

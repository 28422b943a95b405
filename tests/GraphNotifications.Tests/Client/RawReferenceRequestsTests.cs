using System.Text;
using System.Text.Json;
using GraphNotifications.Client;
using GraphNotifications.Client.Models;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions;

namespace GraphNotifications.Tests.Client;

/// <summary>
/// The description has no <c>$ref</c> routes (the converter writes none), so a generated client sends them through its
/// request adapter as raw requests, with the same error mapping, and reads the feeds back with the generated builders.
/// </summary>
public sealed class RawReferenceRequestsTests(KestrelServiceFactory service) : IClassFixture<KestrelServiceFactory>
{
    [Fact]
    public async Task Linking_listing_and_dismissing_through_the_adapter_change_only_that_user_s_feed()
    {
        var adapter = KiotaClients.Adapter(service.ServiceRoot, TestTokens.AppOnly("kiota-ref-app"));
        var client = new GraphNotificationsClient(adapter);
        var created = await client.Users["ref-user-a"].Notifications.PostAsync(KiotaClients.Notification("shared"));
        string entityId = $"{service.ServiceRoot}notifications('{created!.Id}')";

        await adapter.SendNoContentAsync(Raw(Method.POST, "users/ref-user-b/notifications/$ref", $$"""{"@odata.id": "{{entityId}}"}"""), KiotaClients.GraphErrors);

        Assert.Equal([entityId], await LinksAsync(adapter, "users/ref-user-b/notifications/$ref"));
        Assert.Equal(created.Id, Assert.Single((await client.Users["ref-user-b"].Notifications.GetAsync())!.Value!).Id);

        await adapter.SendNoContentAsync(Raw(Method.DELETE, $"users/ref-user-b/notifications/{created.Id}/$ref"), KiotaClients.GraphErrors);

        Assert.Empty(await LinksAsync(adapter, "users/ref-user-b/notifications/$ref"));
        Assert.Empty((await client.Users["ref-user-b"].Notifications.GetAsync())!.Value!);
        Assert.Equal(created.Id, Assert.Single((await client.Users["ref-user-a"].Notifications.GetAsync())!.Value!).Id);
    }

    [Fact]
    public async Task Dismissing_with_the_id_query_option_and_linking_a_missing_notification_answer_as_Graph_does()
    {
        var adapter = KiotaClients.Adapter(service.ServiceRoot, TestTokens.Delegated("ref-user-c", "kiota-ref-app"));
        var client = new GraphNotificationsClient(adapter);
        var created = await client.Me.Notifications.PostAsync(KiotaClients.Notification("dismiss me"));

        string entityId = Uri.EscapeDataString($"notifications('{created!.Id}')");
        await adapter.SendNoContentAsync(Raw(Method.DELETE, $"me/notifications/$ref?$id={entityId}"), KiotaClients.GraphErrors);
        Assert.Empty((await client.Me.Notifications.GetAsync())!.Value!);

        var missing = await Assert.ThrowsAsync<Error>(() => adapter.SendNoContentAsync(
            Raw(Method.POST, "me/notifications/$ref", """{"@odata.id": "notifications('no-such-notification')"}"""), KiotaClients.GraphErrors));
        Assert.Equal(404, missing.ResponseStatusCode);
        Assert.Equal("notFound", missing.ErrorProp?.Code);
    }

    private RequestInformation Raw(Method method, string relativeUrl, string? json = null)
    {
        var request = new RequestInformation { HttpMethod = method, URI = new Uri(service.ServiceRoot, relativeUrl) };
        request.Headers.Add("Accept", "application/json");
        if (json is not null)
        {
            request.SetStreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)), "application/json");
        }

        return request;
    }

    private async Task<string[]> LinksAsync(IRequestAdapter adapter, string relativeUrl)
    {
        await using var body = await adapter.SendPrimitiveAsync<Stream>(Raw(Method.GET, relativeUrl), KiotaClients.GraphErrors);
        using var document = await JsonDocument.ParseAsync(body!);
        return document.RootElement.GetProperty("value").EnumerateArray().Select(link => link.GetProperty("@odata.id").GetString()!).ToArray();
    }
}

using GraphNotifications.Client.Models;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Client;

/// <summary>
/// The C# client Kiota generates from csdl/openapi.json drives the service over HTTP, on a real Kestrel listener,
/// exactly as generated: create through the navigation property, list with $filter, page through
/// <c>@odata.nextLink</c>, PATCH with an ETag, delete.
/// </summary>
public sealed class GeneratedClientTests(KestrelServiceFactory service) : IClassFixture<KestrelServiceFactory>
{
    [Fact]
    public async Task Creating_through_me_notifications_answers_the_notification_the_service_stored()
    {
        var client = service.KiotaDelegated("kiota-user-1", "kiota-app");
        var body = KiotaClients.Notification("Created by Kiota", Priority.High);
        body.GroupName = "kiota";
        body.TargetPolicy = new TargetPolicyEndpointsCreate { PlatformTypes = ["windows", "android"] };

        var created = await client.Me.Notifications.PostAsync(body);

        Assert.NotNull(created);
        Assert.True(Guid.TryParse(created.Id, out _), created.Id);
        Assert.Equal("contoso.example", created.TargetHostName);
        Assert.Equal(Priority.High, created.Priority);
        Assert.Equal("kiota", created.GroupName);
        Assert.Equal("Created by Kiota", created.Payload?.VisualContent?.Title);
        Assert.Equal(["windows", "android"], created.TargetPolicy?.PlatformTypes);
        Assert.InRange(created.ExpirationDateTime!.Value, DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31));
        Assert.StartsWith("W/\"", created.ETag(), StringComparison.Ordinal);

        var feed = await client.Me.Notifications.GetAsync();
        Assert.Equal(created.Id, Assert.Single(feed!.Value!).Id);
    }

    [Fact]
    public async Task An_app_creates_through_users_id_notifications_and_the_user_reads_it_in_its_own_feed()
    {
        var app = service.KiotaAppOnly("kiota-app-2");
        var user = service.KiotaDelegated("kiota-user-2", "kiota-app-2");

        var created = await app.Users["kiota-user-2"].Notifications.PostAsync(KiotaClients.Notification("For user 2"));

        var appView = await app.Users["kiota-user-2"].Notifications.GetAsync();
        var userView = await user.Me.Notifications.GetAsync();
        Assert.Equal(created!.Id, Assert.Single(appView!.Value!).Id);
        Assert.Equal(created.Id, Assert.Single(userView!.Value!).Id);
        Assert.Equal("For user 2", userView.Value![0].Payload?.VisualContent?.Title);
    }

    [Fact]
    public async Task An_app_fans_a_notification_out_to_several_users_and_back_with_the_generated_actions()
    {
        var app = service.KiotaAppOnly("kiota-app-fan");
        var created = await app.Users["kiota-fan-owner"].Notifications.PostAsync(KiotaClients.Notification("For many"));

        await app.Notifications[created!.Id].MicrosoftGraphAddRecipients.PostAsync(new() { UserIds = ["kiota-fan-a", "kiota-fan-b", "kiota-fan-a"] });

        var reader = service.KiotaDelegated("kiota-fan-b", "kiota-app-fan");
        var feed = await reader.Me.Notifications.GetAsync();
        Assert.Equal(created.Id, Assert.Single(feed!.Value!).Id);
        Assert.Equal(NotificationReadState.Unread, feed.Value![0].ReadState);

        await app.Notifications[created.Id].MicrosoftGraphRemoveRecipients.PostAsync(new() { UserIds = ["kiota-fan-b"] });

        Assert.Empty((await reader.Me.Notifications.GetAsync())!.Value!);
        Assert.Single((await app.Users["kiota-fan-a"].Notifications.GetAsync())!.Value!);
    }

    [Fact]
    public async Task A_filter_sent_as_the_generated_query_parameter_selects_in_the_service()
    {
        var client = service.KiotaDelegated("kiota-user-3", "kiota-app");
        await client.Me.Notifications.PostAsync(KiotaClients.Notification("low one", Priority.Low));
        var high = await client.Me.Notifications.PostAsync(KiotaClients.Notification("high one", Priority.High));
        await client.Me.Notifications.PostAsync(KiotaClients.Notification("no priority"));

        var page = await client.Me.Notifications.GetAsync(request =>
        {
            request.QueryParameters.Filter = "priority eq 'High' and startswith(payload/visualContent/title, 'high')";
            request.QueryParameters.Count = true;
        });

        Assert.Equal(high!.Id, Assert.Single(page!.Value!).Id);
        Assert.Equal(1, page.OdataCount?.Integer);
    }

    [Fact]
    public async Task Following_odata_nextLink_with_the_client_reads_every_notification_once()
    {
        var client = service.KiotaDelegated("kiota-user-4", "kiota-app");
        var created = new HashSet<string>();
        for (int i = 0; i < 7; i++)
        {
            created.Add((await client.Me.Notifications.PostAsync(KiotaClients.Notification($"page item {i}")))!.Id!);
        }

        var read = new List<string>();
        int pages = 0;
        var page = await client.Me.Notifications.GetAsync(request => request.Headers.Add("Prefer", "odata.maxpagesize=3"));
        while (true)
        {
            pages++;
            read.AddRange(page!.Value!.Select(n => n.Id!));
            if (!page.AdditionalData.TryGetValue("@odata.nextLink", out var next))
            {
                break;
            }

            // The description has no nextLink; the client keeps it as additional data and follows it as it is.
            // odata.maxpagesize is a request header, not part of the link: the client sends it again.
            page = await client.Me.Notifications.WithUrl(Assert.IsType<string>(next)).GetAsync(request => request.Headers.Add("Prefer", "odata.maxpagesize=3"));
        }

        Assert.True(pages == 3, $"{pages} pages: {string.Join(", ", read)}");
        Assert.Equal(created.Order(), read.Order());
    }

    [Fact]
    public async Task A_patch_with_the_current_ETag_applies_and_one_with_a_stale_ETag_is_a_412_the_client_reads_as_Graph_s_error()
    {
        var app = service.KiotaAppOnly("kiota-app-5");
        var created = await app.Users["kiota-user-5"].Notifications.PostAsync(KiotaClients.Notification("before"));
        var item = app.Notifications[created!.Id];

        await item.PatchAsync(
            new NotificationUpdate { GroupName = "patched", Payload = new PayloadTypesUpdate { RawContent = "raw" } },
            request => request.Headers.Add("If-Match", created.ETag()));

        var patched = await item.GetAsync();
        Assert.Equal("patched", patched!.GroupName);
        Assert.Equal("raw", patched.Payload?.RawContent);
        Assert.Equal("before", patched.Payload?.VisualContent?.Title);
        Assert.NotEqual(created.ETag(), patched.ETag());

        var stale = await Assert.ThrowsAsync<Error>(() => item.PatchAsync(
            new NotificationUpdate { GroupName = "lost" },
            request => request.Headers.Add("If-Match", created.ETag())));
        Assert.Equal(412, stale.ResponseStatusCode);
        Assert.Equal("preconditionFailed", stale.ErrorProp?.Code);
        Assert.Equal("patched", (await item.GetAsync())!.GroupName);
    }

    [Fact]
    public async Task A_user_patches_its_own_notification_through_me_by_giving_the_item_builder_that_url()
    {
        var client = service.KiotaDelegated("kiota-user-6", "kiota-app");
        var created = await client.Me.Notifications.PostAsync(KiotaClients.Notification("mine"));

        // The description has no /me/notifications/{id} (the converter gives non-contained navigation properties no
        // key paths), and /notifications/{id} is app-only: a delegated caller reaches its item with the URL itself.
        // A builder made by WithUrl serves one request (Kiota consumes the raw URL), so each request takes a new one.
        var itemUrl = $"{service.ServiceRoot}me/notifications/{created!.Id}";
        await client.Notifications[created.Id].WithUrl(itemUrl)
            .PatchAsync(new NotificationUpdate { Priority = Priority.Low }, request => request.Headers.Add("If-Match", created.ETag()));

        var read = await client.Notifications[created.Id].WithUrl(itemUrl).GetAsync();
        Assert.Equal(Priority.Low, read!.Priority);
        Assert.Equal(created.Id, read.Id);
    }

    [Fact]
    public async Task Deleting_with_the_client_removes_the_notification_and_a_second_delete_is_a_404()
    {
        var app = service.KiotaAppOnly("kiota-app-7");
        var created = await app.Users["kiota-user-7"].Notifications.PostAsync(KiotaClients.Notification("to delete"));
        var item = app.Notifications[created!.Id];

        await item.DeleteAsync(request => request.Headers.Add("If-Match", created.ETag()));

        var gone = await Assert.ThrowsAsync<Error>(() => item.GetAsync());
        Assert.Equal(404, gone.ResponseStatusCode);
        Assert.Equal("notFound", gone.ErrorProp?.Code);
        Assert.Empty((await app.Users["kiota-user-7"].Notifications.GetAsync())!.Value!);
        var again = await Assert.ThrowsAsync<Error>(() => item.DeleteAsync());
        Assert.Equal(404, again.ResponseStatusCode);
    }

    [Fact]
    public async Task A_body_Graph_refuses_is_a_400_whose_details_the_client_reads()
    {
        var client = service.KiotaDelegated("kiota-user-8", "kiota-app");
        var body = KiotaClients.Notification("bad");
        body.ExpirationDateTime = DateTimeOffset.UtcNow.AddDays(-1);

        var refused = await Assert.ThrowsAsync<Error>(() => client.Me.Notifications.PostAsync(body));

        Assert.Equal(400, refused.ResponseStatusCode);
        Assert.Equal("badRequest", refused.ErrorProp?.Code);
        Assert.Equal("expirationDateTime", Assert.Single(refused.ErrorProp!.Details!).Target);
        Assert.Empty((await client.Me.Notifications.GetAsync())!.Value!);
    }
}

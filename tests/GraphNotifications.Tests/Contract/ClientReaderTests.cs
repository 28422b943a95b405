using System.Net;
using System.Text;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.OData;

namespace GraphNotifications.Tests.Contract;

/// <summary>
/// A client built on Microsoft.OData.Core, with the contract as its model, reads what the service answers:
/// a created notification, a notification with its ETag, a feed, a page with its next link and count, a feed's links
/// (paged too), and errors. JSON $batch answers: <see cref="BatchReaderTests"/>.
/// </summary>
public sealed class ClientReaderTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task A_created_notification_reads_with_its_types_properties_nested_values_and_dynamic_property()
    {
        var client = service.Delegated("reader-user-1", "reader-app");
        var expires = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(7), TimeSpan.Zero);
        var body = Bodies.CorrectedSeed(expires);
        body["appNotificationId"] = "testDirectToastNotification";

        using var response = await client.PostAsync("me/notifications", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var message = await HttpResponseODataMessage.FromAsync(response);
        var notification = await ODataClient.ReadResourceAsync(message);
        Assert.Equal("microsoft.graph.notification", notification.Resource.TypeName);
        Assert.True(Guid.TryParse(notification["id"] as string, out _), message.BodyText);
        Assert.Equal(response.Headers.Location, notification.Resource.Id);
        Assert.Equal("Target Host Name value", notification["targetHostName"]);
        Assert.Equal(1, notification["displayTimeToLive"]);
        Assert.Equal("Group Name value", notification["groupName"]);
        Assert.Equal("High", Assert.IsType<ODataEnumValue>(notification["priority"]).Value);
        Assert.Equal(expires, Assert.IsType<DateTimeOffset>(notification["expirationDateTime"]));
        // A dynamic string carries no type annotation (JSON implies it); under OData 4.0 the reader's default
        // (ReadUntypedAsString) then hands it over as the raw JSON value.
        Assert.Equal("\"testDirectToastNotification\"", Assert.IsType<ODataUntypedValue>(notification["appNotificationId"]).RawValue);

        var payload = notification.Nested["payload"]!;
        Assert.Equal("microsoft.graph.payloadTypes", payload.Resource.TypeName);
        Assert.Equal("Raw Content value", payload["rawContent"]);
        var visualContent = payload.Nested["visualContent"]!;
        Assert.Equal("microsoft.graph.visualProperties", visualContent.Resource.TypeName);
        Assert.Equal("Title value", visualContent["title"]);
        Assert.Equal("Body value", visualContent["body"]);
        var targetPolicy = notification.Nested["targetPolicy"]!;
        Assert.Equal("microsoft.graph.targetPolicyEndpoints", targetPolicy.Resource.TypeName);
        Assert.Equal(["Platform Types value"], Assert.IsType<ODataCollectionValue>(targetPolicy["platformTypes"]).Items.Cast<string>());
    }

    [Fact]
    public async Task A_feed_reads_as_a_resource_set_with_every_notification_in_it()
    {
        var client = service.Delegated("reader-user-2", "reader-app");
        string[] created =
        [
            await client.CreateAsync("me/notifications", Bodies.Minimal("first")),
            await client.CreateAsync("me/notifications", Bodies.Minimal("second")),
            await client.CreateAsync("me/notifications", Bodies.CorrectedSeed()),
        ];

        using var response = await client.GetAsync("me/notifications");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, notifications) = await ODataClient.ReadResourceSetAsync(await HttpResponseODataMessage.FromAsync(response));
        Assert.Equal(created.Order(), notifications.Select(n => (string)n["id"]!).Order());
        Assert.All(notifications, n => Assert.Equal("microsoft.graph.notification", n.Resource.TypeName));
        Assert.Equal(["Title value", "first", "second"],
            notifications.Select(n => (string)n.Nested["payload"]!.Nested["visualContent"]!["title"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_feed_s_links_read_as_entity_reference_links_to_the_notifications()
    {
        var client = service.Delegated("reader-user-3", "reader-app");
        string first = await client.CreateAsync("me/notifications");
        string second = await client.CreateAsync("me/notifications");

        using var response = await client.GetAsync("me/notifications/$ref");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = await HttpResponseODataMessage.FromAsync(response);
        using var reader = ODataClient.ReaderFor(message);
        var links = await reader.ReadEntityReferenceLinksAsync();
        Assert.Equal(
            new[] { first, second }.Select(id => new Uri($"http://localhost/v1.0/notifications('{id}')")).OrderBy(u => u.AbsoluteUri),
            links.Links.Select(l => l.Url).OrderBy(u => u.AbsoluteUri));
    }

    [Fact]
    public async Task A_notification_read_by_key_carries_the_ETag_of_its_header_and_its_edit_link()
    {
        var client = service.Delegated("reader-user-5", "reader-app");
        string id = await client.CreateAsync("me/notifications");
        using var patched = await client.PatchAsync($"me/notifications/{id}", new System.Text.Json.Nodes.JsonObject { ["groupName"] = "v2" });

        using var response = await client.GetAsync($"me/notifications/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notification = await ODataClient.ReadResourceAsync(await HttpResponseODataMessage.FromAsync(response));
        Assert.Equal(response.Headers.ETag?.ToString(), notification.Resource.ETag);
        Assert.Equal("W/\"2.1\"", notification.Resource.ETag);
        Assert.Equal("v2", notification["groupName"]);
        Assert.Equal(new Uri($"http://localhost/v1.0/notifications('{id}')"), notification.Resource.Id);
        // Read through the feed, it is edited there: its recipient's state is on that path (docs/recipient.md).
        Assert.Equal(new Uri($"http://localhost/v1.0/me/notifications/{id}"), notification.Resource.EditLink);
    }

    [Fact]
    public async Task A_page_reads_with_its_count_and_next_link_and_the_next_link_reads_the_rest()
    {
        var client = service.Delegated("reader-user-6", "reader-app");
        var created = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            created.Add(await client.CreateAsync("me/notifications", Bodies.Minimal($"paged {i}")));
        }

        var (first, firstItems) = await ReadPageAsync(client, "me/notifications?$count=true&$orderby=id");
        Assert.Equal(3, first.Count);
        Assert.Equal(2, firstItems.Count);
        var next = Assert.IsType<Uri>(first.NextPageLink);
        Assert.True(next.IsAbsoluteUri, next.OriginalString);
        Assert.Contains("$skiptoken=", Uri.UnescapeDataString(next.Query), StringComparison.Ordinal);

        var (last, lastItems) = await ReadPageAsync(client, next.AbsoluteUri);
        Assert.Null(last.NextPageLink);
        Assert.Equal(created.Order(StringComparer.Ordinal), firstItems.Concat(lastItems).Select(n => (string)n["id"]!));
    }

    [Fact]
    public async Task A_feed_s_links_page_with_a_next_link_the_reader_delivers()
    {
        var client = service.Delegated("reader-user-7", "reader-app");
        string[] created = [await client.CreateAsync("me/notifications"), await client.CreateAsync("me/notifications")];

        using var request = new HttpRequestMessage(HttpMethod.Get, "me/notifications/$ref");
        request.Headers.Add("Prefer", "odata.maxpagesize=1");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = ODataClient.ReaderFor(await HttpResponseODataMessage.FromAsync(response));
        var links = await reader.ReadEntityReferenceLinksAsync();
        var link = Assert.Single(links.Links);
        Assert.Contains(created, id => link.Url == new Uri($"http://localhost/v1.0/notifications('{id}')"));
        Assert.NotNull(links.NextPageLink);
        Assert.True(links.NextPageLink.IsAbsoluteUri, links.NextPageLink.OriginalString);
    }

    [Theory]
    [InlineData(null, "GET", "me/notifications", HttpStatusCode.Unauthorized, "unauthorized")]
    [InlineData("reader-user-8", "GET", "me/notifications/no-such-notification", HttpStatusCode.NotFound, "notFound")]
    [InlineData("reader-user-8", "GET", "notifications", HttpStatusCode.Forbidden, "forbidden")]
    [InlineData("reader-user-8", "GET", "me/notifications?$search=x", HttpStatusCode.NotImplemented, "notImplemented")]
    [InlineData("reader-user-8", "PUT", "me/notifications", HttpStatusCode.MethodNotAllowed, "methodNotAllowed")]
    public async Task Every_kind_of_error_reads_as_an_OData_error_once_innerError_is_spelled_as_OData_spells_it(
        string? user, string method, string url, HttpStatusCode status, string code)
    {
        using var client = user is null ? service.ClientWith(token: null) : service.Delegated(user, "reader-app");

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(status, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        using var reader = ODataClient.ReaderFor(await HttpResponseODataMessage.FromAsync(RespelledInnerError(response, body)));
        var error = await reader.ReadErrorAsync();
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message), body);
    }

    private static async Task<(Microsoft.OData.ODataResourceSet Set, IReadOnlyList<ReadResource> Items)> ReadPageAsync(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Prefer", "odata.maxpagesize=2");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ODataClient.ReadResourceSetAsync(await HttpResponseODataMessage.FromAsync(response));
    }

    // Graph writes the inner error as "innerError"; OData JSON names it "innererror", and Microsoft.OData.Core
    // refuses any other property of an error object. The service keeps Graph's spelling, which Graph's own SDKs read.
    [Fact]
    public async Task An_error_reads_but_for_Graph_s_innerError_spelling_which_the_OData_reader_refuses()
    {
        var client = service.Delegated("reader-user-4", "reader-app");

        using var response = await client.PostAsync("me/notifications", Bodies.Json(Bodies.SeedExample));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = await HttpResponseODataMessage.FromAsync(response);
        using (var reader = ODataClient.ReaderFor(message))
        {
            var refusal = await Assert.ThrowsAsync<ODataException>(reader.ReadErrorAsync);
            Assert.Contains("'innerError'", refusal.Message, StringComparison.Ordinal);
        }

        var asOData = await HttpResponseODataMessage.FromAsync(RespelledInnerError(response, message.BodyText));
        using var odataReader = ODataClient.ReaderFor(asOData);
        var error = await odataReader.ReadErrorAsync();
        Assert.Equal("badRequest", error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Equal(["expirationDateTime", "priority"], error.Details.Select(d => d.Target).Order(StringComparer.Ordinal));
        Assert.Equal(response.Headers.GetValues("request-id").Single(),
            Assert.IsType<ODataPrimitiveValue>(error.InnerError.Properties["request-id"]).Value);
    }

    private static HttpResponseMessage RespelledInnerError(HttpResponseMessage response, string body)
    {
        Assert.Contains("\"innerError\":", body, StringComparison.Ordinal);
        var respelled = new HttpResponseMessage(response.StatusCode)
        {
            Content = new StringContent(body.Replace("\"innerError\":", "\"innererror\":", StringComparison.Ordinal), Encoding.UTF8),
        };
        respelled.Content.Headers.ContentType = response.Content.Headers.ContentType;
        foreach (var header in response.Headers)
        {
            respelled.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return respelled;
    }
}

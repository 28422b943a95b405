using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Batch;
using GraphNotifications.Tests.Contract;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.OData;

namespace GraphNotifications.Tests;

/// <summary>
/// Content negotiation (<c>Accept</c>, <c>$format</c>, OData JSON's format parameters) and the protocol headers
/// every route checks (<c>OData-MaxVersion</c>, <c>OData-Version</c>, <c>If-Modified-Since</c>, <c>If-Range</c>).
/// </summary>
public sealed class NegotiationTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    private const string App = "negotiation-app";

    [Theory]
    [InlineData(null, null)]
    [InlineData("application/json", null)]
    [InlineData("application/json;odata.metadata=minimal", null)]
    [InlineData(null, "json")]
    [InlineData(null, "JSON")]
    [InlineData(null, "application/json;odata.metadata=minimal")]
    public async Task Minimal_metadata_keeps_the_type_on_every_object_and_computes_the_rest(string? accept, string? format)
    {
        var (id, client) = await CreatedAsync();

        var response = await client.SendAsync(Get($"notifications/{id}", accept, format));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("odata.metadata=minimal", MetadataParameter(response));
        var body = await response.ReadObjectAsync();
        Assert.Equal(
            [
                "@odata.context=http://localhost/v1.0/$metadata#notifications/$entity",
                "@odata.etag=W/\"1\"",
                "@odata.type=#microsoft.graph.notification",
                "payload/@odata.type=#microsoft.graph.payloadTypes",
                "payload/visualContent/@odata.type=#microsoft.graph.visualProperties",
            ],
            ControlInformation(body));
    }

    [Theory]
    [InlineData("application/json;odata.metadata=full", null)]
    [InlineData("application/json;metadata=full", null)]
    [InlineData(null, "application/json;odata.metadata=full")]
    public async Task Full_metadata_writes_every_control_information_inline(string? accept, string? format)
    {
        var (id, client) = await CreatedAsync();

        var response = await client.SendAsync(Get($"notifications/{id}", accept, format));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("odata.metadata=full", MetadataParameter(response));
        var message = await HttpResponseODataMessage.FromAsync(response);
        var body = JsonNode.Parse(message.BodyText)!.AsObject();
        string url = $"http://localhost/v1.0/notifications('{id}')";
        Assert.Equal(
            [
                "@odata.context=http://localhost/v1.0/$metadata#notifications/$entity",
                $"@odata.editLink=notifications('{id}')",
                "@odata.etag=W/\"1\"",
                $"@odata.id={url}",
                "@odata.type=#microsoft.graph.notification",
                "createdDateTime@odata.type=#DateTimeOffset",
                "expirationDateTime@odata.type=#DateTimeOffset",
                "payload/@odata.type=#microsoft.graph.payloadTypes",
                "payload/visualContent/@odata.type=#microsoft.graph.visualProperties",
            ],
            ControlInformation(body));

        // A client built on Microsoft.OData.Core reads the links and the ETag from the payload itself.
        var read = await ODataClient.ReadResourceAsync(message);
        Assert.Equal(new Uri(url), read.Resource.Id);
        Assert.Equal(new Uri(url), read.Resource.EditLink);
        Assert.Equal("W/\"1\"", read.Resource.ETag);
        Assert.Equal("microsoft.graph.notification", read.Resource.TypeName);
        Assert.Equal(id, read["id"]);
    }

    [Fact]
    public async Task Full_metadata_on_a_user_writes_the_navigation_and_association_links()
    {
        var client = service.AppOnly(App);

        var response = await client.SendAsync(Get("users/negotiation-links", "application/json;odata.metadata=full", null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal(
            [
                "@odata.context=http://localhost/v1.0/$metadata#users/$entity",
                "@odata.editLink=users('negotiation-links')",
                "@odata.id=http://localhost/v1.0/users('negotiation-links')",
                "@odata.type=#microsoft.graph.user",
                "notifications@odata.associationLink=http://localhost/v1.0/users('negotiation-links')/notifications/$ref",
                "notifications@odata.navigationLink=http://localhost/v1.0/users('negotiation-links')/notifications",
                "pushEndpoints@odata.associationLink=http://localhost/v1.0/users('negotiation-links')/pushEndpoints/$ref",
                "pushEndpoints@odata.navigationLink=http://localhost/v1.0/users('negotiation-links')/pushEndpoints",
            ],
            ControlInformation(body));
    }

    [Theory]
    [InlineData("application/json;odata.metadata=none", null)]
    [InlineData("application/json;metadata=none", null)]
    [InlineData(null, "application/json;odata.metadata=none")]
    public async Task No_metadata_drops_all_control_information_from_an_entity(string? accept, string? format)
    {
        var (id, client) = await CreatedAsync();

        var response = await client.SendAsync(Get($"notifications/{id}", accept, format));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("odata.metadata=none", MetadataParameter(response));
        var message = await HttpResponseODataMessage.FromAsync(response);
        Assert.Empty(ControlInformation(JsonNode.Parse(message.BodyText)!));
        // The ETag still travels in its header.
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        // Microsoft.OData.Core's reader cannot read this: in a response it requires odata.context, whatever the
        // metadata level. What a client without metadata reads is the plain JSON.
        var body = JsonNode.Parse(message.BodyText)!;
        Assert.Equal(id, body["id"]!.GetValue<string>());
        Assert.Equal("Hello", body["payload"]!["visualContent"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task No_metadata_keeps_the_count_and_the_next_link_of_a_page()
    {
        var client = service.AppOnly(App);
        await client.CreateAsync("users/negotiation-none/notifications");
        await client.CreateAsync("users/negotiation-none/notifications");
        var request = Get("users/negotiation-none/notifications?$count=true", "application/json;odata.metadata=none", null);
        request.Headers.Add("Prefer", "odata.maxpagesize=1");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = await HttpResponseODataMessage.FromAsync(response);
        var page = JsonNode.Parse(message.BodyText)!.AsObject();
        Assert.Equal(["@odata.count=2", "@odata.nextLink"], ControlInformation(page).Select(c => c.StartsWith("@odata.nextLink=", StringComparison.Ordinal) ? "@odata.nextLink" : c));
        Assert.StartsWith("http://localhost/v1.0/users/negotiation-none/notifications?", page["@odata.nextLink"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(ControlInformation(page["value"]!));

        var next = await client.SendAsync(Get(page["@odata.nextLink"]!.GetValue<string>(), "application/json;odata.metadata=none", null));
        var last = await next.ReadObjectAsync();
        Assert.Equal(["@odata.count=2"], ControlInformation(last));
        Assert.Single(last["value"]!.AsArray());
    }

    [Fact]
    public async Task Full_metadata_on_a_page_reads_with_ids_and_the_next_link()
    {
        var client = service.AppOnly(App);
        string first = await client.CreateAsync("users/negotiation-full/notifications");
        string second = await client.CreateAsync("users/negotiation-full/notifications");
        var request = Get("users/negotiation-full/notifications?$count=true", "application/json;odata.metadata=full", null);
        request.Headers.Add("Prefer", "odata.maxpagesize=1");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (set, notifications) = await ODataClient.ReadResourceSetAsync(await HttpResponseODataMessage.FromAsync(response));
        var only = Assert.Single(notifications);
        Assert.Contains((string)only["id"]!, new[] { first, second });
        Assert.Equal(new Uri($"http://localhost/v1.0/notifications('{only["id"]}')"), only.Resource.Id);
        Assert.Equal(2, set.Count);
        Assert.NotNull(set.NextPageLink);
    }

    [Theory]
    [InlineData("application/json;IEEE754Compatible=true", null)]
    [InlineData(null, "application/json;IEEE754Compatible=true")]
    public async Task IEEE754Compatible_writes_Int64_and_Decimal_as_strings_and_says_so(string? accept, string? format)
    {
        var client = service.AppOnly(App);
        var body = Bodies.Minimal();
        body["big"] = 9007199254740993;
        body["price"] = 12.25m;
        string user = "negotiation-ieee-" + Guid.NewGuid().ToString("N");
        string id = await client.CreateAsync($"users/{user}/notifications", body);

        var one = await client.SendAsync(Get($"notifications/{id}", accept, format));
        var page = await client.SendAsync(Get($"users/{user}/notifications?$count=true", accept, format));

        Assert.Equal("true", FormatParameter(one, "IEEE754Compatible"));
        var read = await one.ReadObjectAsync();
        Assert.Equal("9007199254740993", read["big"]!.GetValue<string>());
        Assert.Equal("#Int64", read["big@odata.type"]!.GetValue<string>());
        Assert.Equal("12.25", read["price"]!.GetValue<string>());
        Assert.Equal("#Decimal", read["price@odata.type"]!.GetValue<string>());
        Assert.Equal("true", FormatParameter(page, "IEEE754Compatible"));
        Assert.Equal("1", (await page.ReadObjectAsync())["@odata.count"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_IEEE754Compatible_the_same_numbers_are_JSON_numbers()
    {
        var client = service.AppOnly(App);
        var body = Bodies.Minimal();
        body["big"] = 9007199254740993;
        string id = await client.CreateAsync("notifications", body);

        var response = await client.GetAsync($"notifications/{id}");

        Assert.Null(FormatParameter(response, "IEEE754Compatible"));
        Assert.Contains("\"big\":9007199254740993", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_IEEE754Compatible_body_may_send_an_Int64_or_Decimal_dynamic_property_as_a_string()
    {
        var client = service.AppOnly(App);
        var content = new StringContent(
            """{"targetHostName": "contoso.example", "payload": {"rawContent": "r"}, "big@odata.type": "#Int64", "big": "9007199254740993", "price@odata.type": "Edm.Decimal", "price": "-0.5"}""",
            System.Text.Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json;IEEE754Compatible=true");

        var created = await client.PostAsync("notifications", content);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string id = (await created.ReadObjectAsync())["id"]!.GetValue<string>();
        string text = await (await client.GetAsync($"notifications/{id}")).Content.ReadAsStringAsync();
        Assert.Contains("\"big\":9007199254740993", text, StringComparison.Ordinal);
        Assert.Contains("\"price\":-0.5", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_IEEE754Compatible_string_that_is_not_the_annotated_number_is_a_400()
    {
        var client = service.AppOnly(App);
        var content = new StringContent(
            """{"targetHostName": "contoso.example", "payload": {"rawContent": "r"}, "big@odata.type": "#Int64", "big": "12abc"}""",
            System.Text.Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json;IEEE754Compatible=true");

        var response = await client.PostAsync("users/negotiation-ieee-bad/notifications", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["big"], (await response.ReadObjectAsync()).ErrorTargets());
        Assert.Equal(0, await FeedSizeAsync(client, "negotiation-ieee-bad"));
    }

    [Theory]
    [InlineData(null, "application/json; odata.metadata=minimal; odata.streaming=true")]
    [InlineData("application/json", "application/json; odata.metadata=minimal; odata.streaming=true")]
    [InlineData("application/json;charset=utf-8", "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8")]
    [InlineData("application/json;odata.metadata=minimal;charset=UTF-8", "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8")]
    [InlineData("application/json;odata.streaming=false", "application/json; odata.metadata=minimal; odata.streaming=false")]
    public async Task Content_type_names_the_metadata_level_and_a_charset_only_when_asked_for(string? accept, string expected)
    {
        var (id, client) = await CreatedAsync();

        var response = await client.SendAsync(Get($"notifications/{id}", accept, null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType!.ToString());
    }

    [Theory]
    [InlineData("notifications/{0}", "xml")]
    [InlineData("notifications/{0}", "atom")]
    [InlineData("notifications/{0}", "application/xml")]
    [InlineData("notifications/{0}", "text/csv")]
    [InlineData("notifications/{0}", "application/json;odata.metadata=everything")]
    [InlineData("notifications/{0}", "application/json;foo=bar")]
    [InlineData("notifications/{0}", "json;odata.metadata=full")]
    [InlineData("notifications/{0}", "application/json;metadata=none")]
    [InlineData("users/negotiation-owner/notifications", "xml")]
    [InlineData("users/negotiation-owner/notifications/$ref", "application/atom+xml")]
    [InlineData("", "xml")]
    public async Task A_format_the_service_does_not_write_is_a_406(string template, string format)
    {
        var (id, client) = await CreatedAsync();
        string url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id);

        var response = await client.SendAsync(Get(url, null, format));

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal("notAcceptable", error.ErrorCode());
        Assert.Contains("$format", error.ErrorMessage(), StringComparison.Ordinal);
        Assert.Equal(["$format"], error.ErrorTargets());
    }

    [Theory]
    [InlineData("?$format=xml", null)]
    [InlineData("", "application/json;charset=utf-16")]
    [InlineData("", "application/xml")]
    public async Task A_create_whose_format_cannot_be_written_is_a_406_that_stores_nothing(string query, string? accept)
    {
        var client = service.AppOnly(App);
        string user = "negotiation-create-" + Guid.NewGuid().ToString("N");
        var request = new HttpRequestMessage(HttpMethod.Post, $"users/{user}/notifications{query}") { Content = Bodies.Json(Bodies.Minimal()) };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("notAcceptable", (await response.ReadObjectAsync()).ErrorCode());
        Assert.Equal(0, await FeedSizeAsync(client, user));
    }

    [Theory]
    [InlineData("xml", "application/xml")]
    [InlineData("application/xml", "application/xml")]
    [InlineData("json", "application/json")]
    public async Task Metadata_takes_xml_or_json_as_its_format(string format, string mediaType)
    {
        var response = await service.ClientWith(null).GetAsync($"/v1.0/$metadata?$format={format}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    [InlineData("application/json;odata.metadata=everything")]
    [InlineData("application/json;foo=bar")]
    [InlineData("text/json")]
    [InlineData("text/*")]
    [InlineData("application/json;charset=utf-16")]
    public async Task An_Accept_the_service_cannot_answer_is_a_406(string accept)
    {
        var (id, client) = await CreatedAsync();

        var one = await client.SendAsync(Get($"notifications/{id}", accept, null));
        var page = await client.SendAsync(Get("users/negotiation-owner/notifications", accept, null));

        Assert.Equal(HttpStatusCode.NotAcceptable, one.StatusCode);
        Assert.Equal("notAcceptable", (await one.ReadObjectAsync()).ErrorCode());
        Assert.Equal(HttpStatusCode.NotAcceptable, page.StatusCode);
        Assert.Equal("notAcceptable", (await page.ReadObjectAsync()).ErrorCode());
    }

    [Fact]
    public async Task Format_overrides_Accept()
    {
        var (id, client) = await CreatedAsync();

        var response = await client.SendAsync(Get($"notifications/{id}", "application/json;odata.metadata=full", "application/json;odata.metadata=none"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("odata.metadata=none", MetadataParameter(response));
        Assert.Empty(ControlInformation(await response.ReadObjectAsync()));
    }

    [Theory]
    [InlineData("3.0")]
    [InlineData("2.0")]
    [InlineData("1.0")]
    [InlineData("3.99")]
    public async Task An_OData_MaxVersion_below_4_0_is_a_400_that_says_why(string version)
    {
        var (id, client) = await CreatedAsync();
        var read = Get($"notifications/{id}", null, null);
        read.Headers.Add("OData-MaxVersion", version);
        var create = new HttpRequestMessage(HttpMethod.Post, "users/negotiation-old/notifications") { Content = Bodies.Json(Bodies.Minimal()) };
        create.Headers.Add("OData-MaxVersion", version);
        var metadata = new HttpRequestMessage(HttpMethod.Get, "/v1.0/$metadata");
        metadata.Headers.Add("OData-MaxVersion", version);

        foreach (var response in new[] { await client.SendAsync(read), await client.SendAsync(create), await service.ClientWith(null).SendAsync(metadata) })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await response.ReadObjectAsync();
            Assert.Equal("badRequest", error.ErrorCode());
            Assert.Equal($"OData-MaxVersion {version} asks for an answer in a version older than 4.0; this service speaks OData 4.0 only. Send OData-MaxVersion: 4.0 (or higher), or leave it out.", error.ErrorMessage());
            Assert.Equal(["OData-MaxVersion"], error.ErrorTargets());
        }

        Assert.Equal(0, await FeedSizeAsync(client, "negotiation-old"));
    }

    [Theory]
    [InlineData("OData-MaxVersion", "3.0")]
    [InlineData("OData-Version", "four")]
    public async Task A_batch_sub_request_in_a_version_the_service_does_not_speak_is_the_same_400(string header, string version)
    {
        var (_, client) = await CreatedAsync();
        string user = "negotiation-batch-" + Guid.NewGuid().ToString("N");

        var responses = await client.BatchAsync(BatchRequests.Request("1", "POST", $"users/{user}/notifications", Bodies.Minimal(),
            headers: new() { [header] = version }));

        var answer = responses["1"];
        Assert.Equal(400, answer.Status());
        Assert.Equal("badRequest", answer.Body()["error"]!["code"]!.GetValue<string>());
        Assert.Equal([header], answer.Body()["error"]!["details"]!.AsArray().Select(d => d!["target"]!.GetValue<string>()));
        Assert.Equal(0, await FeedSizeAsync(client, user));
    }

    [Theory]
    [InlineData("OData-MaxVersion", "4.0")]
    [InlineData("OData-MaxVersion", "4.01")]
    [InlineData("OData-MaxVersion", "5.0")]
    [InlineData("OData-Version", "4.0")]
    [InlineData("OData-Version", "4.01")]
    public async Task A_client_that_accepts_4_0_or_later_is_answered_in_4_0(string header, string version)
    {
        var (id, client) = await CreatedAsync();
        var request = Get($"notifications/{id}", null, null);
        request.Headers.Add(header, version);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("4.0", Assert.Single(response.Headers.GetValues("OData-Version")));
        var body = await response.ReadObjectAsync();
        // 4.0's spelling of the control information, not 4.01's @context and @type.
        Assert.Equal("#microsoft.graph.notification", body["@odata.type"]!.GetValue<string>());
        Assert.NotNull(body["@odata.context"]);
        Assert.Null(body["@context"]);
        Assert.Null(body["@type"]);
    }

    [Theory]
    [InlineData("POST", "4.01")]
    [InlineData("PATCH", "4.01")]
    [InlineData("POST", "3.0")]
    [InlineData("GET", "3.0")]
    [InlineData("GET", "four")]
    public async Task A_request_in_a_version_the_service_does_not_read_is_a_400_that_changes_nothing(string method, string version)
    {
        var (id, client) = await CreatedAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), method == "POST" ? "users/negotiation-version/notifications" : $"notifications/{id}");
        request.Content = method switch
        {
            "POST" => Bodies.Json(Bodies.Minimal()),
            "PATCH" => Bodies.Json(new JsonObject { ["groupName"] = "changed" }),
            _ => null,
        };
        request.Headers.TryAddWithoutValidation("OData-Version", version);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal("badRequest", error.ErrorCode());
        Assert.Contains("OData-Version", error.ErrorMessage(), StringComparison.Ordinal);
        Assert.Equal(["OData-Version"], error.ErrorTargets());
        Assert.Equal(0, await FeedSizeAsync(client, "negotiation-version"));
        Assert.Null((await client.ReadNotificationAsync($"notifications/{id}"))["groupName"]);
    }

    [Theory]
    [InlineData("If-Modified-Since", "Sat, 29 Oct 1994 19:43:31 GMT")]
    [InlineData("If-Range", "W/\"1\"")]
    public async Task If_Modified_Since_and_If_Range_are_a_400_on_every_route(string header, string value)
    {
        var (id, client) = await CreatedAsync();
        var requests = new List<(HttpClient Client, HttpRequestMessage Request)>
        {
            (client, new HttpRequestMessage(HttpMethod.Get, $"notifications/{id}")),
            (client, new HttpRequestMessage(HttpMethod.Get, "users/negotiation-owner/notifications")),
            (client, new HttpRequestMessage(HttpMethod.Get, "users/negotiation-owner/notifications/$count")),
            (client, new HttpRequestMessage(HttpMethod.Get, "users/negotiation-owner/notifications/$ref")),
            (client, new HttpRequestMessage(HttpMethod.Post, "users/negotiation-conditional/notifications") { Content = Bodies.Json(Bodies.Minimal()) }),
            (client, new HttpRequestMessage(HttpMethod.Patch, $"notifications/{id}") { Content = Bodies.Json(new JsonObject { ["groupName"] = "changed" }) }),
            (client, new HttpRequestMessage(HttpMethod.Delete, $"notifications/{id}")),
            (client, new HttpRequestMessage(HttpMethod.Get, "users/negotiation-owner")),
            (service.ClientWith(null), new HttpRequestMessage(HttpMethod.Get, "/v1.0/$metadata")),
            (service.ClientWith(null), new HttpRequestMessage(HttpMethod.Get, "/beta/")),
        };

        foreach (var (sender, request) in requests)
        {
            request.Headers.TryAddWithoutValidation(header, value);

            var response = await sender.SendAsync(request);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await response.ReadObjectAsync();
            Assert.Equal("badRequest", error.ErrorCode());
            Assert.StartsWith($"The {header} header is not supported on this API.", error.ErrorMessage(), StringComparison.Ordinal);
            Assert.Equal([header], error.ErrorTargets());
        }

        Assert.Equal(0, await FeedSizeAsync(client, "negotiation-conditional"));
        var unchanged = await client.ReadNotificationAsync($"notifications/{id}");
        Assert.Null(unchanged["groupName"]);
    }

    private async Task<(string Id, HttpClient Client)> CreatedAsync()
    {
        var client = service.AppOnly(App);
        return (await client.CreateAsync("users/negotiation-owner/notifications"), client);
    }

    private static async Task<int> FeedSizeAsync(HttpClient client, string user) =>
        (await (await client.GetAsync($"users/{user}/notifications")).ReadObjectAsync())["value"]!.AsArray().Count;

    private static HttpRequestMessage Get(string url, string? accept, string? format)
    {
        if (format is not null)
        {
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "$format=" + Uri.EscapeDataString(format);
        }

        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return request;
    }

    private static string? FormatParameter(HttpResponseMessage response, string name) =>
        response.Content.Headers.ContentType?.Parameters.SingleOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    private static string MetadataParameter(HttpResponseMessage response) => "odata.metadata=" + FormatParameter(response, "odata.metadata");

    /// <summary>Every control information and annotation in a payload, as path=value (the name alone for objects), sorted.</summary>
    private static List<string> ControlInformation(JsonNode node)
    {
        var found = new List<string>();
        Collect(node, prefix: string.Empty, found);
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static void Collect(JsonNode? node, string prefix, List<string> found)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var (name, value) in json)
                {
                    if (name.Contains('@', StringComparison.Ordinal))
                    {
                        found.Add(value is JsonValue scalar ? $"{prefix}{name}={scalar}" : prefix + name);
                    }
                    else
                    {
                        Collect(value, $"{prefix}{name}/", found);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, prefix, found);
                }

                break;
        }
    }
}

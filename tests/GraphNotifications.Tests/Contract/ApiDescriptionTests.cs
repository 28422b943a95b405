using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using GraphNotifications.Tests.Subscriptions;

namespace GraphNotifications.Tests.Contract;

/// <summary>
/// The service serves csdl/openapi.json as it is, and a reference page built on it, to anyone; and what the description
/// lists, the service answers.
/// </summary>
public sealed class ApiDescriptionTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task Openapi_json_is_the_generated_file_byte_for_byte_without_a_token()
    {
        using var client = service.ClientWith(token: null);

        using var response = await client.GetAsync("/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(ContractFiles.OpenApiPath), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_reference_page_is_HTML_without_a_token_and_loads_the_description_and_its_script_from_the_service()
    {
        using var client = service.ClientWith(token: null);

        using var page = await client.GetAsync("/scalar/");
        using var script = await client.GetAsync("/scalar/scalar.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"scalar.js\"></script>", html, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"openapi.json\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000, "The page's script is served by the service itself.");
    }

    [Fact]
    public async Task Without_the_trailing_slash_the_reference_page_is_reached_through_a_redirect()
    {
        using var client = service.ClientWith(token: null);

        using var response = await client.GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/scalar/", response.RequestMessage?.RequestUri?.AbsolutePath);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_GET_the_description_lists_answers_200_under_v1_0_and_beta()
    {
        var description = JsonNode.Parse(await File.ReadAllTextAsync(ContractFiles.OpenApiPath))!;
        string user = "description-user", app = "description-app";
        using var appClient = service.AppOnly(app);
        using var userClient = service.Delegated(user, app);
        string id = await appClient.CreateAsync($"users/{user}/notifications");
        await using var receiver = await WebhookReceiver.StartAsync();
        string subscriptionId = (await appClient.SubscribeAsync(SubscriptionBodies.New(receiver.Url, $"users/{user}/notifications")))["id"]!.GetValue<string>();
        var paths = description["paths"]!.AsObject().Where(path => path.Value!["get"] is not null).Select(path => path.Key).ToList();

        string endpointId = (await (await userClient.PostAsync("me/pushEndpoints", Push.PushEndpointTests.Subscription())).ReadObjectAsync())["id"]!.GetValue<string>();

        Assert.Equal(["/me", "/me/notifications", "/me/notifications/microsoft.graph.delta()", "/me/pushEndpoints", "/me/pushEndpoints/{id_1}", "/notifications", "/notifications/{id}", "/subscriptions", "/subscriptions/{id}",
            "/users", "/users/{id}", "/users/{id}/notifications", "/users/{id}/notifications/microsoft.graph.delta()", "/users/{id}/pushEndpoints",
            "/users/{id}/pushEndpoints/{id_1}"],
            paths.Order(StringComparer.Ordinal));
        foreach (string version in new[] { "/v1.0", "/beta" })
        {
            foreach (string path in paths)
            {
                string url = version + path.Replace("{id_1}", endpointId, StringComparison.Ordinal).Replace("/users/{id}", $"/users/{user}", StringComparison.Ordinal)
                    .Replace("/subscriptions/{id}", $"/subscriptions/{subscriptionId}", StringComparison.Ordinal).Replace("{id}", id, StringComparison.Ordinal);
                var client = path.StartsWith("/me", StringComparison.Ordinal) ? userClient : appClient;
                using var response = await client.GetAsync(url);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    [Theory]
    [InlineData("POST", "users")]
    [InlineData("PATCH", "users/description-user-2")]
    [InlineData("DELETE", "users/description-user-2")]
    [InlineData("PATCH", "me")]
    [InlineData("PATCH", "me/pushEndpoints/{id_1}")]
    public async Task What_the_description_leaves_out_the_service_refuses(string method, string url)
    {
        var description = JsonNode.Parse(await File.ReadAllTextAsync(ContractFiles.OpenApiPath))!;
        string path = "/" + url.Replace("description-user-2", "{id}", StringComparison.Ordinal);
        using var client = url.StartsWith("me", StringComparison.Ordinal) ? service.Delegated("description-user-2", "description-app") : service.AppOnly("description-app");

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = Bodies.Json("{}") });

        Assert.Null(description["paths"]![path]![method.ToLowerInvariant()]);
        Assert.True((int)response.StatusCode is 404 or 405, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

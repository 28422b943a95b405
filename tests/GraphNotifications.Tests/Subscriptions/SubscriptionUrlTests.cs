using System.Net;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Subscriptions;

/// <summary>
/// Server-side request forgery: with <c>Subscriptions:AllowPrivateNotificationUrls</c> off (the production default),
/// a notification URL whose host is or resolves to a loopback, private, link-local or otherwise internal address is a
/// 400, and no request leaves for it; in Production an http URL is a 400.
/// </summary>
public sealed class SubscriptionUrlTests(ServiceFactory service) : IClassFixture<ServiceFactory>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;
    private WebApplicationFactory<Program> _guarded = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _guarded = service.WithWebHostBuilder(b => b.UseSetting("Subscriptions:AllowPrivateNotificationUrls", "false"));
    }

    public async Task DisposeAsync()
    {
        await _guarded.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/webhook", "loopback")]
    [InlineData("http://localhost:{port}/webhook", "loopback")]
    [InlineData("http://[::1]:{port}/webhook", "loopback")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/webhook", "loopback")]
    [InlineData("http://2130706433:{port}/webhook", "loopback")]
    [InlineData("http://0.0.0.0:{port}/webhook", "unspecified")]
    [InlineData("http://10.1.2.3/webhook", "private")]
    [InlineData("http://172.16.0.1/webhook", "private")]
    [InlineData("http://192.168.1.10/webhook", "private")]
    [InlineData("http://[::ffff:10.0.0.1]/webhook", "private")]
    [InlineData("http://[::ffff:a00:1]/webhook", "private")]
    [InlineData("http://[fd00::1]/webhook", "private")]
    [InlineData("http://100.64.0.1/webhook", "shared")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "link-local")]
    [InlineData("http://[fe80::1]/webhook", "link-local")]
    [InlineData("http://[::ffff:169.254.169.254]/webhook", "link-local")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/webhook", "link-local")]
    public async Task A_notification_url_of_an_internal_address_is_a_400_and_never_called(string url, string kind)
    {
        using var client = _guarded.ClientWith(TestTokens.AppOnly("ssrf-app"));
        string target = url.Replace("{port}", _receiver.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var response = await client.PostAsync("subscriptions", SubscriptionBodies.New(new Uri(target), "users/ssrf-u1/notifications"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal(["notificationUrl"], error.ErrorTargets());
        Assert.Contains(kind, error.ErrorMessage(), StringComparison.Ordinal);
        Assert.Empty(_receiver.Requests);
        Assert.Empty(await client.SubscriptionIdsAsync());
    }

    [Fact]
    public async Task A_lifecycle_notification_url_obeys_the_same_rules()
    {
        using var client = _guarded.ClientWith(TestTokens.AppOnly("ssrf-app-2"));
        var body = SubscriptionBodies.New(new Uri("http://10.0.0.1/webhook"), "users/ssrf-u2/notifications");
        body["lifecycleNotificationUrl"] = "http://169.254.169.254/";

        var response = await client.PostAsync("subscriptions", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["lifecycleNotificationUrl", "notificationUrl"], (await response.ReadObjectAsync()).ErrorTargets());
    }

    [Fact]
    public async Task Moving_a_subscription_to_an_internal_address_is_a_400()
    {
        using var allowed = service.AppOnly("ssrf-app-3");
        string id = (await allowed.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "users/ssrf-u3/notifications")))["id"]!.GetValue<string>();
        using var client = _guarded.ClientWith(TestTokens.AppOnly("ssrf-app-3"));

        var response = await client.PatchAsync($"subscriptions/{id}", new System.Text.Json.Nodes.JsonObject { ["notificationUrl"] = "http://192.168.0.1/hook" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("private", (await response.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_production_a_notification_url_must_be_https()
    {
        await using var production = service.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        using var client = production.ClientWith(TestTokens.AppOnly("ssrf-app-4"));

        var response = await client.PostAsync("subscriptions", SubscriptionBodies.New(_receiver.Url, "users/ssrf-u4/notifications"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must use https", (await response.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task The_webhook_client_itself_refuses_to_connect_to_an_internal_address()
    {
        // Delivery and the handshake share this client: an address that passed the check once and resolves to an
        // internal one later (DNS rebinding) is refused where the connection is made.
        var webhooks = _guarded.Services.GetRequiredService<IHttpClientFactory>().CreateClient("webhooks");

        await Assert.ThrowsAsync<HttpRequestException>(() => webhooks.PostAsync(_receiver.Url, new StringContent("")));

        Assert.Empty(_receiver.Requests);
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace GraphNotifications.Tests.Subscriptions;

/// <summary>
/// The <c>subscriptions</c> entity set against a webhook receiver on loopback: the validation handshake, create,
/// read, renew and delete, who sees a subscription, and the lifetime limit.
/// </summary>
public sealed class SubscriptionTests(ServiceFactory service) : IClassFixture<ServiceFactory>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_receiver_that_echoes_the_token_gets_a_subscription_with_Graphs_properties()
    {
        using var client = service.Delegated("sub-u1", "sub-app-1");
        var body = SubscriptionBodies.New(_receiver.Url);

        var response = await client.PostAsync("subscriptions", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadObjectAsync();
        string id = created["id"]!.GetValue<string>();
        Assert.Equal($"http://localhost/v1.0/subscriptions('{id}')", response.Headers.Location?.ToString());
        Assert.Equal("#microsoft.graph.subscription", created["@odata.type"]?.GetValue<string>());
        Assert.Equal("me/notifications", created["resource"]!.GetValue<string>());
        Assert.Equal("created,updated", created["changeType"]!.GetValue<string>());
        Assert.Equal(_receiver.Url.ToString(), created["notificationUrl"]!.GetValue<string>());
        Assert.Equal("secret-client-state", created["clientState"]!.GetValue<string>());
        Assert.Equal("sub-app-1", created["applicationId"]!.GetValue<string>());
        Assert.Equal("sub-u1", created["creatorId"]!.GetValue<string>());
        Assert.Equal("v1_2", created["latestSupportedTlsVersion"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse(body["expirationDateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(created["expirationDateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        var (method, token, contentType) = Assert.Single(_receiver.Requests);
        Assert.Equal("POST", method);
        Assert.False(string.IsNullOrEmpty(token));
        Assert.StartsWith("text/plain", contentType, StringComparison.Ordinal);

        var read = await client.ReadNotificationAsync($"subscriptions/{id}");
        Assert.Equal(id, read["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"subscriptions('{id}')")).StatusCode);
        Assert.Equal([id], await client.SubscriptionIdsAsync());
    }

    [Theory]
    [InlineData(ReceiverAnswer.WrongToken, "validation token")]
    [InlineData(ReceiverAnswer.ServerError, "500")]
    [InlineData(ReceiverAnswer.Redirect, "307")]
    public async Task A_receiver_that_fails_the_handshake_gets_a_400_and_nothing_is_stored(ReceiverAnswer answer, string reason)
    {
        await using var target = await WebhookReceiver.StartAsync();
        _receiver.Answer = answer;
        _receiver.RedirectTo = target.Url;
        using var client = service.AppOnly("sub-app-fail-" + answer);

        var response = await client.PostAsync("subscriptions", SubscriptionBodies.New(_receiver.Url, "users/sub-u2/notifications"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal("badRequest", error.ErrorCode());
        Assert.Contains(reason, error.ErrorMessage(), StringComparison.Ordinal);
        Assert.Equal(["notificationUrl"], error.ErrorTargets());
        Assert.Empty(await client.SubscriptionIdsAsync());
        // A redirect is not followed: its target never hears of the service.
        Assert.Empty(target.Requests);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_in_time_gets_a_400_and_nothing_is_stored()
    {
        await using var quick = service.WithWebHostBuilder(b => b.UseSetting("Subscriptions:ValidationTimeout", "00:00:01"));
        using var client = quick.ClientWith(TestTokens.AppOnly("sub-app-slow"));
        _receiver.Answer = ReceiverAnswer.Silence;

        var response = await client.PostAsync("subscriptions", SubscriptionBodies.New(_receiver.Url, "users/sub-u3/notifications"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("within 1 seconds", (await response.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
        Assert.Empty(await client.SubscriptionIdsAsync());
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_gets_a_400()
    {
        using var client = service.AppOnly("sub-app-closed");
        var closed = _receiver.Url;
        await _receiver.DisposeAsync();
        _receiver = await WebhookReceiver.StartAsync();

        var response = await client.PostAsync("subscriptions", SubscriptionBodies.New(closed, "users/sub-u4/notifications"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("could not be reached", (await response.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("users/sub-u5/notifications")]
    [InlineData("/users/sub-u5/notifications")]
    [InlineData("users('sub-u5')/notifications")]
    [InlineData("users/sub-u5/notifications?$filter=targetHostName eq 'contoso'")]
    public async Task An_app_subscribes_to_any_users_feed_in_its_tenant(string resource)
    {
        using var client = service.AppOnly("sub-app-any");

        var created = await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, resource, changeType: "created,updated,deleted"));

        Assert.Equal(resource, created["resource"]!.GetValue<string>());
        Assert.Equal("sub-app-any", created["creatorId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_delegated_caller_subscribes_to_its_own_feed_only()
    {
        using var client = service.Delegated("sub-u6", "sub-app-own");

        await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "users/sub-u6/notifications"));
        var other = await client.PostAsync("subscriptions", SubscriptionBodies.New(_receiver.Url, "users/sub-someone-else/notifications"));

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("forbidden", (await other.ReadObjectAsync()).ErrorCode());
    }

    [Theory]
    [InlineData("resource", "me/notifications", "app-only")]
    [InlineData("resource", "users/x/events", "")]
    [InlineData("resource", "users/x/notifications?$filter=priority eq 'High'", "")]
    [InlineData("changeType", "created,dismissed", "")]
    [InlineData("changeType", "created,created", "")]
    [InlineData("changeType", "", "")]
    [InlineData("notificationUrl", "not a url", "")]
    [InlineData("notificationUrl", "ftp://example.com/hook", "")]
    [InlineData("clientState", "", "256")]
    [InlineData("latestSupportedTlsVersion", "v2_0", "")]
    [InlineData("id", "mine", "")]
    [InlineData("applicationId", "another-app", "")]
    [InlineData("creatorId", "another-user", "")]
    [InlineData("includeResourceData", "", "true")]
    [InlineData("notificationQueryOptions", "$filter=x", "")]
    [InlineData("color", "blue", "")]
    public async Task A_body_with_a_bad_property_is_a_400_naming_it_and_nothing_is_stored(string property, string value, string variant)
    {
        using var client = service.AppOnly("sub-app-bad-" + property);
        var body = SubscriptionBodies.New(_receiver.Url, "users/sub-u7/notifications");
        body[property] = variant switch
        {
            "256" => new string('s', 256),
            "true" => true,
            _ => value,
        };

        var response = await client.PostAsync("subscriptions", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(property, (await response.ReadObjectAsync()).ErrorTargets());
        Assert.Empty(await client.SubscriptionIdsAsync());
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task A_body_without_the_required_properties_names_each()
    {
        using var client = service.AppOnly("sub-app-empty");

        var response = await client.PostAsync("subscriptions", new JsonObject());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["changeType", "expirationDateTime", "notificationUrl", "resource"], (await response.ReadObjectAsync()).ErrorTargets());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4231)]
    [InlineData(60 * 24 * 30)]
    public async Task An_expiry_in_the_past_or_beyond_the_maximum_lifetime_is_a_400(int minutes)
    {
        using var client = service.AppOnly("sub-app-life");

        var response = await client.PostAsync("subscriptions",
            SubscriptionBodies.New(_receiver.Url, "users/sub-u8/notifications", TimeSpan.FromMinutes(minutes)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["expirationDateTime"], (await response.ReadObjectAsync()).ErrorTargets());
        Assert.Empty(await client.SubscriptionIdsAsync());
    }

    [Fact]
    public async Task An_expiry_just_within_the_maximum_lifetime_is_accepted()
    {
        using var client = service.AppOnly("sub-app-life-ok");

        await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "users/sub-u8/notifications", TimeSpan.FromMinutes(4229)));
    }

    [Fact]
    public async Task The_maximum_lifetime_is_a_setting()
    {
        await using var shortLived = service.WithWebHostBuilder(b => b.UseSetting("Subscriptions:MaxLifetime", "00:10:00"));
        using var client = shortLived.ClientWith(TestTokens.AppOnly("sub-app-short"));

        var response = await client.PostAsync("subscriptions", SubscriptionBodies.New(_receiver.Url, "users/sub-u9/notifications", TimeSpan.FromMinutes(20)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("10 minutes", (await response.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
        await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "users/sub-u9/notifications", TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_subscription_exists_only_for_its_tenant_app_and_user()
    {
        using var owner = service.Delegated("sub-owner", "sub-app-iso");
        string id = (await owner.SubscribeAsync(SubscriptionBodies.New(_receiver.Url)))["id"]!.GetValue<string>();
        var strangers = new[]
        {
            service.Delegated("sub-owner", "sub-app-other"),
            service.Delegated("sub-other-user", "sub-app-iso"),
            service.AppOnly("sub-app-iso"),
            service.ClientWith(TestTokens.Delegated("sub-owner", "sub-app-iso", tweak: TestTokens.InTenant("another-tenant"))),
        };

        foreach (var stranger in strangers)
        {
            using (stranger)
            {
                Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"subscriptions/{id}")).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await stranger.PatchAsync($"subscriptions/{id}",
                    new JsonObject { ["expirationDateTime"] = SubscriptionBodies.In(TimeSpan.FromHours(2)) })).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await stranger.DeleteAsync($"subscriptions/{id}")).StatusCode);
                Assert.DoesNotContain(id, await stranger.SubscriptionIdsAsync());
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"subscriptions/{id}")).StatusCode);
    }

    [Fact]
    public async Task Renewing_sets_a_new_expiry_within_the_maximum_lifetime()
    {
        using var client = service.AppOnly("sub-app-renew");
        var created = await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "users/sub-u10/notifications"));
        string id = created["id"]!.GetValue<string>();
        string later = SubscriptionBodies.In(TimeSpan.FromDays(2));

        var renewed = await client.PatchAsync($"subscriptions/{id}", new JsonObject { ["expirationDateTime"] = later });

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var read = await client.ReadNotificationAsync($"subscriptions/{id}");
        Assert.Equal(DateTimeOffset.Parse(later, CultureInfo.InvariantCulture), DateTimeOffset.Parse(read["expirationDateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Single(_receiver.Requests);

        var beyond = await client.PatchAsync($"subscriptions/{id}", new JsonObject { ["expirationDateTime"] = SubscriptionBodies.In(TimeSpan.FromDays(4)) });
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        var unchanged = await client.ReadNotificationAsync($"subscriptions/{id}");
        Assert.Equal(read["expirationDateTime"]!.GetValue<string>(), unchanged["expirationDateTime"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("changeType", "deleted")]
    [InlineData("resource", "users/sub-u11/notifications")]
    [InlineData("clientState", "other")]
    [InlineData("applicationId", "x")]
    public async Task Renewing_changes_nothing_but_the_expiry_and_the_notification_url(string property, string value)
    {
        using var client = service.AppOnly("sub-app-renew-ro");
        string id = (await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "users/sub-u11/notifications")))["id"]!.GetValue<string>();

        var response = await client.PatchAsync($"subscriptions/{id}", new JsonObject { [property] = value });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([property], (await response.ReadObjectAsync()).ErrorTargets());
    }

    [Fact]
    public async Task Moving_a_subscription_to_another_url_runs_the_handshake_there()
    {
        using var client = service.AppOnly("sub-app-move");
        string id = (await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url, "users/sub-u12/notifications")))["id"]!.GetValue<string>();
        await using var failing = await WebhookReceiver.StartAsync();
        failing.Answer = ReceiverAnswer.WrongToken;
        await using var next = await WebhookReceiver.StartAsync();

        var refused = await client.PatchAsync($"subscriptions/{id}", new JsonObject { ["notificationUrl"] = failing.Url.ToString() });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Single(failing.Requests);
        Assert.Equal(_receiver.Url.ToString(), (await client.ReadNotificationAsync($"subscriptions/{id}"))["notificationUrl"]!.GetValue<string>());

        var moved = await client.PatchAsync($"subscriptions/{id}", new JsonObject { ["notificationUrl"] = next.Url.ToString() });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Single(next.Requests);
        Assert.Equal(next.Url.ToString(), (await client.ReadNotificationAsync($"subscriptions/{id}"))["notificationUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_a_subscription_is_a_204_and_it_is_gone()
    {
        using var client = service.Delegated("sub-u13", "sub-app-delete");
        string id = (await client.SubscribeAsync(SubscriptionBodies.New(_receiver.Url)))["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"subscriptions/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"subscriptions/{id}")).StatusCode);
        Assert.Empty(await client.SubscriptionIdsAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415()
    {
        using var client = service.AppOnly("sub-app-415");

        var response = await client.PostAsync("subscriptions", new StringContent("resource=x"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}

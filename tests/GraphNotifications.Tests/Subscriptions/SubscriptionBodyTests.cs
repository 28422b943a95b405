using System.Net;
using System.Text;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GraphNotifications.Tests.Subscriptions;

/// <summary>Odd subscription bodies are 400s that name the problem, never 500s, with private addresses allowed or not.</summary>
public sealed class SubscriptionBodyTests(ServiceFactory service) : IClassFixture<ServiceFactory>, IAsyncLifetime
{
    private WebApplicationFactory<Program> _guarded = null!;

    public Task InitializeAsync()
    {
        _guarded = service.WithWebHostBuilder(b => b.UseSetting("Subscriptions:AllowPrivateNotificationUrls", "false"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _guarded.DisposeAsync();

    public static TheoryData<string> OddBodies() => new()
    {
        "[]",
        "\"subscription\"",
        "null",
        """{"resource": null, "changeType": null, "notificationUrl": null, "expirationDateTime": null}""",
        """{"resource": 1, "changeType": ["created"], "notificationUrl": {}, "expirationDateTime": 5}""",
        """{"resource": "users/u/notifications", "changeType": "created", "notificationUrl": "http://[::1", "expirationDateTime": "2026-13-45T00:00:00Z"}""",
        """{"resource": "users/u/notifications", "changeType": "created", "notificationUrl": "https://x/", "expirationDateTime": "9999-12-31T23:59:59.9999999Z"}""",
        """{"resource": "users/u/notifications", "changeType": "created", "notificationUrl": "https://x/", "expirationDateTime": "0001-01-01T00:00:00+14:00"}""",
        """{"resource": "users/u/notifications", "changeType": "created", "notificationUrl": "https://x/", "expirationDateTime": "tomorrow"}""",
        """{"resource": "users//notifications", "changeType": "created", "notificationUrl": "https://x/", "expirationDateTime": "2026-01-01"}""",
        """{"resource": "users/%zz/notifications", "changeType": "created", "notificationUrl": "https://x/", "expirationDateTime": "2026-01-01"}""",
        """{"@odata.type": "#microsoft.graph.notification", "resource": "me/notifications", "changeType": "created", "notificationUrl": "https://x/", "expirationDateTime": "2026-01-01"}""",
        """{"resource": "users/u/notifications", "changeType": "created", "notificationUrl": "https://[fe80::1%25eth0]/", "expirationDateTime": "{soon}"}""",
        """{"resource": "users/u/notifications", "changeType": "created", "notificationUrl": "https://{longhost}.example/", "expirationDateTime": "{soon}"}""",
        """{"resource": "users/u/notifications", "changeType": "created", "notificationUrl": "https://user:pass@example.com/", "expirationDateTime": "{soon}"}""",
        """{"resource": "users/u/notifications", "changeType": "created", "notificationUrl": "https://does-not-exist.invalid/", "expirationDateTime": "{soon}"}""",
        """{"resource": "users/u/notifications", "changeType": "created", "notificationUrl": "javascript:alert(1)", "expirationDateTime": "{soon}"}""",
        """{"resource": "users/u/notifications", "changeType": "created", "notificationUrl": "file:///etc/passwd", "expirationDateTime": "{soon}"}""",
    };

    [Theory]
    [MemberData(nameof(OddBodies))]
    public async Task An_odd_body_is_a_400_with_private_addresses_refused(string body)
    {
        using var client = _guarded.ClientWith(TestTokens.AppOnly("odd-app"));
        await AssertBadRequestAsync(client, body);
    }

    [Theory]
    [MemberData(nameof(OddBodies))]
    public async Task An_odd_body_is_a_400_with_private_addresses_allowed(string body)
    {
        using var client = service.AppOnly("odd-app");
        await AssertBadRequestAsync(client, body);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"expirationDateTime": 5}""")]
    [InlineData("""{"notificationUrl": "file:///etc/passwd"}""")]
    [InlineData("""{"id": "another"}""")]
    public async Task An_odd_renewal_is_a_400(string body)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = service.AppOnly("odd-app-renew");
        string id = (await client.SubscribeAsync(SubscriptionBodies.New(receiver.Url, "users/odd-u/notifications")))["id"]!.GetValue<string>();

        using var response = await client.PatchAsync($"subscriptions/{id}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task AssertBadRequestAsync(HttpClient client, string body)
    {
        string sent = body.Replace("{soon}", SubscriptionBodies.In(TimeSpan.FromHours(1)), StringComparison.Ordinal)
            .Replace("{longhost}", new string('a', 63) + "." + new string('b', 63) + "." + new string('c', 63) + "." + new string('d', 63), StringComparison.Ordinal);

        using var response = await client.PostAsync("subscriptions", new StringContent(sent, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("badRequest", (await response.ReadObjectAsync()).ErrorCode());
    }
}

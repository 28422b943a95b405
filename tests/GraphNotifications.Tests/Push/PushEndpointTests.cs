using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Push;

/// <summary>
/// Registering, reading and deleting push endpoints (<c>/me/pushEndpoints</c>, <c>/users/{id}/pushEndpoints</c>),
/// what a registration must carry, and the VAPID public key a page subscribes with.
/// </summary>
public sealed class PushEndpointTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    /// <summary>A browser subscription's JSON with a fresh key pair, as PushSubscription.toJSON() gives it, plus platformType.</summary>
    public static JsonObject Subscription(string? endpoint = null, string platformType = "webPush")
    {
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = key.ExportParameters(false).Q;
        return new JsonObject
        {
            ["endpoint"] = endpoint ?? $"https://push.example.test/send/{Guid.NewGuid():N}",
            ["expirationTime"] = null,
            ["keys"] = new JsonObject
            {
                ["p256dh"] = System.Buffers.Text.Base64Url.EncodeToString([0x04, .. q.X!, .. q.Y!]),
                ["auth"] = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            },
            ["platformType"] = platformType,
        };
    }

    private static (string App, string User) Fresh() => ("app-" + Guid.NewGuid().ToString("N")[..8], "user-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task A_user_registers_reads_and_deletes_an_endpoint_and_its_app_sees_it_under_the_user()
    {
        var (app, user) = Fresh();
        var client = service.Delegated(user, app);
        var body = Subscription();

        var created = await client.PostAsync("me/pushEndpoints", Bodies.Json(body));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var endpoint = await created.ReadObjectAsync();
        string id = endpoint["id"]!.GetValue<string>();
        Assert.Equal("webPush", endpoint["platformType"]!.GetValue<string>());
        Assert.Equal(body["endpoint"]!.GetValue<string>(), endpoint["endpoint"]!.GetValue<string>());
        Assert.Equal(body["keys"]!["p256dh"]!.GetValue<string>(), endpoint["keys"]!["p256dh"]!.GetValue<string>());
        Assert.Null(endpoint["expirationDateTime"]);
        Assert.Null(endpoint["lastDeliveryDateTime"]);
        Assert.NotNull(endpoint["createdDateTime"]);

        var mine = await client.GetFromJsonAsync<JsonObject>("me/pushEndpoints");
        Assert.Equal([id], mine!["value"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
        var byApp = await service.AppOnly(app).GetFromJsonAsync<JsonObject>($"users/{user}/pushEndpoints/{id}");
        Assert.Equal(id, byApp!["id"]!.GetValue<string>());
        var otherApp = await service.AppOnly(app + "-other").GetFromJsonAsync<JsonObject>($"users/{user}/pushEndpoints");
        Assert.Empty(otherApp!["value"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await service.AppOnly(app + "-other").GetAsync($"users/{user}/pushEndpoints/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"me/pushEndpoints/{id}")).StatusCode);
        var gone = await client.GetAsync($"me/pushEndpoints/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(GraphErrorCodes.NotFound, (await gone.ReadObjectAsync()).ErrorCode());
    }

    [Fact]
    public async Task The_platform_is_matched_without_regard_to_case_and_the_browser_expiry_in_milliseconds_is_kept()
    {
        var (app, user) = Fresh();
        var body = Subscription(platformType: "WEBPUSH");
        var expiry = DateTimeOffset.UtcNow.AddDays(3);
        body["expirationTime"] = expiry.ToUnixTimeMilliseconds();

        var endpoint = await (await service.Delegated(user, app).PostAsync("me/pushEndpoints", Bodies.Json(body))).ReadObjectAsync();

        Assert.Equal("webPush", endpoint["platformType"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(expiry.ToUnixTimeMilliseconds()), endpoint["expirationDateTime"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task The_same_endpoint_registered_again_keeps_its_id_and_takes_the_new_keys()
    {
        var (app, user) = Fresh();
        var client = service.Delegated(user, app);
        var first = await (await client.PostAsync("me/pushEndpoints", Bodies.Json(Subscription("https://push.example.test/send/same")))).ReadObjectAsync();
        var again = Subscription("https://push.example.test/send/same");

        var second = await (await client.PostAsync("me/pushEndpoints", Bodies.Json(again))).ReadObjectAsync();

        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.Equal(again["keys"]!["auth"]!.GetValue<string>(), second["keys"]!["auth"]!.GetValue<string>());
        Assert.Single((await client.GetFromJsonAsync<JsonObject>("me/pushEndpoints"))!["value"]!.AsArray());
    }

    public static TheoryData<string, string> Refused() => new()
    {
        { """{"platformType": "windows"}""", "reserved" },
        { """{"platformType": "Android"}""", "reserved" },
        { """{"platformType": "fax"}""", "must be webPush" },
        { """{"endpoint": 42}""", "'endpoint' must be a string" },
        { """{"endpoint": "ftp://push.example.test/x"}""", "absolute https URL" },
        { """{"endpoint": "https://user:secret@push.example.test/x"}""", "credentials" },
        { """{"keys": {"p256dh": "BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}""", "P-256" },
        { """{"keys": {"p256dh": "not base64url!", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}""", "P-256" },
        { """{"keys": {"auth": "AAAAAAAAAAAAAAAAAAAAAA"}}""", "'keys/p256dh' is required" },
        { """{"keys": "secret"}""", "'keys' must be an object" },
        { """{"expirationTime": 1000}""", "has passed" },
        { """{"expirationTime": "tomorrow"}""", "milliseconds since the epoch" },
        { """{"id": "mine"}""", "assigned by the service" },
        { """{"lastDeliveryError": null}""", "assigned by the service" },
        { """{"options": {}}""", "not a property" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_registration_that_is_not_a_webPush_subscription_is_a_400_naming_the_problem_and_stores_nothing(string change, string problem)
    {
        var (app, user) = Fresh();
        var client = service.Delegated(user, app);
        var body = Subscription();
        foreach (var (name, value) in JsonNode.Parse(change)!.AsObject())
        {
            body[name] = value?.DeepClone();
        }

        var refused = await client.PostAsync("me/pushEndpoints", Bodies.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = await refused.ReadObjectAsync();
        Assert.Equal(GraphErrorCodes.BadRequest, error.ErrorCode());
        var said = (error["error"]!["details"]?.AsArray() ?? []).Select(d => d!["message"]!.GetValue<string>()).Prepend(error.ErrorMessage());
        Assert.Contains(said, message => message.Contains(problem, StringComparison.Ordinal));
        Assert.Empty((await client.GetFromJsonAsync<JsonObject>("me/pushEndpoints"))!["value"]!.AsArray());
    }

    [Fact]
    public async Task An_auth_secret_of_other_than_16_bytes_and_a_missing_endpoint_are_both_named()
    {
        var (app, user) = Fresh();
        var body = Subscription();
        body["keys"]!["auth"] = System.Buffers.Text.Base64Url.EncodeToString(new byte[15]);
        body.Remove("endpoint");

        var error = await (await service.Delegated(user, app).PostAsync("me/pushEndpoints", Bodies.Json(body))).ReadObjectAsync();

        var targets = error["error"]!["details"]!.AsArray().Select(d => d!["target"]!.GetValue<string>()).Order();
        Assert.Equal(["endpoint", "keys/auth"], targets);
    }

    [Theory]
    [InlineData("me?$expand=pushEndpoints")]
    [InlineData("users?$expand=pushEndpoints")]
    public async Task Push_endpoints_are_read_on_their_own_path_not_expanded(string url)
    {
        var (app, user) = Fresh();
        var client = url.StartsWith("me", StringComparison.Ordinal) ? service.Delegated(user, app) : service.AppOnly(app);

        var refused = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("pushEndpoints cannot be expanded", (await refused.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_vapid_public_key_is_served_without_a_token_the_same_on_every_call()
    {
        var anonymous = service.ClientWith(null);

        var first = await anonymous.GetFromJsonAsync<JsonObject>("pushEndpoints/vapidPublicKey");
        var second = await anonymous.GetFromJsonAsync<JsonObject>("/beta/pushEndpoints/vapidPublicKey");

        byte[] point = System.Buffers.Text.Base64Url.DecodeFromChars(first!["publicKey"]!.GetValue<string>());
        Assert.Equal(65, point.Length);
        Assert.Equal(0x04, point[0]);
        Assert.Equal(first["publicKey"]!.GetValue<string>(), second!["publicKey"]!.GetValue<string>());
    }
}

using System.Net;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace GraphNotifications.Tests;

/// <summary>Who may call what, as Graph's <c>Notifications.ReadWrite.CreatedByApp</c> permission decides it.</summary>
public sealed class IdentityTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    public static TheoryData<string, string> UnacceptableTokens => new()
    {
        { "none", "no token" },
        { "garbage", "not a JWT" },
        { "expired", "expired" },
        { "not-yet-valid", "not yet valid" },
        { "wrong-audience", "for another API" },
        { "wrong-issuer", "from another issuer" },
        { "bad-signature", "signed with another key" },
        { "no-app", "naming no app" },
    };

    [Theory]
    [MemberData(nameof(UnacceptableTokens))]
    public async Task A_missing_or_unacceptable_token_is_a_401_with_a_bearer_challenge(string kind, string because)
    {
        string? token = kind switch
        {
            "none" => null,
            "garbage" => "not-a-token",
            "expired" => TestTokens.Delegated("u", "a", tweak: d => { d.NotBefore = DateTime.UtcNow.AddHours(-2); d.Expires = DateTime.UtcNow.AddHours(-1); }),
            "not-yet-valid" => TestTokens.Delegated("u", "a", tweak: d => { d.NotBefore = DateTime.UtcNow.AddHours(1); d.Expires = DateTime.UtcNow.AddHours(2); }),
            "wrong-audience" => TestTokens.Delegated("u", "a", tweak: d => d.Audience = "https://someone-else.test"),
            "wrong-issuer" => TestTokens.Delegated("u", "a", tweak: d => d.Issuer = "https://evil.test/"),
            "bad-signature" => TestTokens.Delegated("u", "a", tweak: d => d.SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey("another-signing-key-of-32-bytes-or-more!!"u8.ToArray()), SecurityAlgorithms.HmacSha256)),
            "no-app" => TestTokens.Mint(new Dictionary<string, object> { ["oid"] = "u", ["scp"] = TestTokens.Permission }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var client = service.ClientWith(token);

        var response = await client.PostAsync("me/notifications", Bodies.Minimal());

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"a token {because}: {(int)response.StatusCode}");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("unauthorized", (await response.ReadObjectAsync()).ErrorCode());
    }

    [Theory]
    [InlineData("delegated-without-scope", "GET", "me/notifications")]
    [InlineData("app-without-role", "GET", "users/someone/notifications")]
    [InlineData("app-without-role", "POST", "notifications")]
    [InlineData("delegated", "GET", "users/someone-else/notifications")]
    [InlineData("delegated", "POST", "users/someone-else/notifications")]
    [InlineData("delegated", "GET", "notifications")]
    [InlineData("delegated", "POST", "notifications")]
    public async Task A_caller_without_the_permission_or_on_someone_elses_feed_is_a_403(string caller, string method, string url)
    {
        string token = caller switch
        {
            "delegated-without-scope" => TestTokens.Delegated("me-user", "perm-app", scope: "User.Read"),
            "app-without-role" => TestTokens.AppOnly("perm-app", roles: ["User.Read.All"]),
            _ => TestTokens.Delegated("me-user", "perm-app"),
        };
        var client = service.ClientWith(token);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = method == "POST" ? Bodies.Json(Bodies.Minimal()) : null,
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await response.ReadObjectAsync()).ErrorCode());
    }

    [Fact]
    public async Task An_app_only_caller_on_me_is_a_400_as_Graph_answers()
    {
        var response = await service.AppOnly("me-app").GetAsync("me/notifications");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("/me", (await response.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delegated_caller_reaches_its_own_feed_through_me_and_through_its_user_id()
    {
        var client = service.Delegated("own-user", "own-app");
        string id = await client.CreateAsync("users/own-user/notifications");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"me/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"users/own-user/notifications/{id}")).StatusCode);
    }

    [Fact]
    public async Task Dev_tokens_with_sub_and_scope_claims_are_accepted()
    {
        // The shape dotnet user-jwts mints: sub (no oid), scope (not scp), and the app in azp.
        string token = TestTokens.Mint(new Dictionary<string, object> { ["sub"] = "dev-user", ["scope"] = TestTokens.Permission, ["azp"] = "dev-app" });

        var response = await service.ClientWith(token).PostAsync("users/dev-user/notifications", Bodies.Minimal());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task An_app_sees_only_the_notifications_it_created_and_anything_else_is_a_404()
    {
        var owner = service.AppOnly("owner-app");
        var other = service.AppOnly("other-app");
        var otherAppsUser = service.Delegated("shared-user", "other-app");
        string id = await owner.CreateAsync("users/shared-user/notifications");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"users/shared-user/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherAppsUser.GetAsync($"me/notifications/{id}")).StatusCode);
        Assert.Empty((await (await otherAppsUser.GetAsync("me/notifications")).ReadObjectAsync())["value"]!.AsArray());
        Assert.Empty((await (await other.GetAsync("notifications")).ReadObjectAsync())["value"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"users/shared-user/notifications/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_delegated_caller_sees_its_apps_notifications_only_in_its_own_feed()
    {
        var app = service.AppOnly("feed-app");
        string forDana = await app.CreateAsync("users/dana/notifications");
        string forNobody = await app.CreateAsync("notifications");
        var dana = service.Delegated("dana", "feed-app");

        var feed = await (await dana.GetAsync("me/notifications")).ReadObjectAsync();

        Assert.Equal([forDana], feed["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await dana.GetAsync($"me/notifications/{forNobody}")).StatusCode);
    }
}

using System.Net;
using System.Security.Cryptography;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace GraphNotifications.Tests.Authorization;

/// <summary>
/// Production identity is configuration alone: an <c>Authority</c> and the accepted audiences, the signing keys read
/// from the authority's OpenID Connect metadata, exactly as docs/identity.md configures Entra ID.
/// </summary>
public sealed class OidcAuthorityTests(OidcAuthorityTests.Fixture fixture) : IClassFixture<OidcAuthorityTests.Fixture>
{
    public const string Audience = "api://graphnotifications-tests";

    [Fact]
    public async Task An_app_only_RS256_token_from_the_authority_is_accepted()
    {
        var app = fixture.Service.ClientWith(fixture.Authority.Mint(Audience, AppOnly("oidc-app")));

        string id = await app.CreateAsync("users/oidc-user/notifications");

        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"notifications/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_delegated_RS256_token_from_the_authority_is_accepted()
    {
        var user = fixture.Service.ClientWith(fixture.Authority.Mint(Audience, Delegated("oidc-user", "oidc-app")));

        var response = await user.PostAsync("me/notifications", Bodies.Minimal());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static TheoryData<string> RefusedTokens => new()
    {
        "for another audience",
        "from another issuer",
        "signed with a key the authority does not publish",
        "expired",
        "a test token this configuration does not trust",
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Any_other_token_is_a_401(string token)
    {
        using var stranger = RSA.Create(2048);
        var claims = AppOnly("oidc-app");
        string minted = token switch
        {
            "for another audience" => fixture.Authority.Mint("api://another-api", claims),
            "from another issuer" => fixture.Authority.Mint(Audience, claims, d => d.Issuer = "https://login.microsoftonline.com/another-tenant/v2.0"),
            "signed with a key the authority does not publish" => fixture.Authority.Mint(Audience, claims, d => d.SigningCredentials =
                new SigningCredentials(new RsaSecurityKey(stranger) { KeyId = fixture.Authority.KeyId }, SecurityAlgorithms.RsaSha256)),
            "expired" => fixture.Authority.Mint(Audience, claims, d => (d.NotBefore, d.Expires) = (DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-1))),
            _ => TestTokens.AppOnly("oidc-app"),
        };

        var response = await fixture.Service.ClientWith(minted).GetAsync("notifications");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Bearer");
        Assert.Equal("unauthorized", (await response.ReadObjectAsync()).ErrorCode());
    }

    private static Dictionary<string, object> AppOnly(string appId) =>
        new() { ["oid"] = "sp-" + appId, ["sub"] = "sp-" + appId, ["azp"] = appId, ["roles"] = new[] { TestTokens.Permission } };

    private static Dictionary<string, object> Delegated(string userId, string appId) =>
        new() { ["oid"] = userId, ["sub"] = "pairwise-" + userId, ["azp"] = appId, ["scp"] = TestTokens.Permission };

    /// <summary>The stub authority, and the service configured with nothing but its address and the audience.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public OidcAuthorityStub Authority { get; private set; } = null!;

        public OidcServiceFactory Service { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Authority = await OidcAuthorityStub.StartAsync("11111111-2222-3333-4444-555555555555");
            Service = new OidcServiceFactory(Authority.Authority, Audience);
        }

        public async Task DisposeAsync()
        {
            await Service.DisposeAsync();
            await Authority.DisposeAsync();
        }
    }

    /// <summary>The service on the in-memory store, trusting only the authority (metadata over plain HTTP: a loopback stub).</summary>
    public sealed class OidcServiceFactory(string authority, string audience) : ServiceFactoryBase
    {
        private readonly string _database = "oidc-" + Guid.NewGuid().ToString("N");

        protected override void ConfigureStore(IWebHostBuilder builder)
        {
            builder.UseSetting("Storage:Provider", "InMemory");
            builder.UseSetting("ConnectionStrings:Notifications", _database);
        }

        protected override IEnumerable<KeyValuePair<string, string?>> BearerSettings() =>
        [
            new("Authentication:Schemes:Bearer:Authority", authority),
            new("Authentication:Schemes:Bearer:ValidAudiences:0", audience),
            new("Authentication:Schemes:Bearer:RequireHttpsMetadata", "false"),
        ];
    }
}

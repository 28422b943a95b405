using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GraphNotifications.Tests.Authorization;

/// <summary>
/// An OpenID Connect issuer shaped as Entra ID's v2.0 endpoint, on a loopback port: its metadata at
/// <c>{authority}/.well-known/openid-configuration</c> and its RSA signing key as a JWKS. It signs RS256 tokens.
/// </summary>
public sealed class OidcAuthorityStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _key;

    private OidcAuthorityStub(WebApplication app, RSA key, string tenant)
    {
        _app = app;
        _key = key;
        Tenant = tenant;
    }

    public string Tenant { get; }

    public string KeyId { get; } = "stub-key-1";

    /// <summary>The authority, which is also the issuer its metadata names (as Entra ID's v2.0 endpoint does).</summary>
    public string Authority => _app.Urls.First().TrimEnd('/') + $"/{Tenant}/v2.0";

    public static async Task<OidcAuthorityStub> StartAsync(string tenant)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new OidcAuthorityStub(app, RSA.Create(2048), tenant);
        app.MapGet($"/{tenant}/v2.0/.well-known/openid-configuration", stub.Metadata);
        app.MapGet($"/{tenant}/discovery/v2.0/keys", stub.Keys);
        await app.StartAsync();
        return stub;
    }

    /// <summary>A token signed with this issuer's key; <paramref name="tweak"/> may spoil any part of it.</summary>
    public string Mint(string audience, IDictionary<string, object> claims, Action<SecurityTokenDescriptor>? tweak = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            Claims = new Dictionary<string, object>(claims) { ["tid"] = Tenant },
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        };
        tweak?.Invoke(descriptor);
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
    }

    private string Root(HttpRequest request) => $"{request.Scheme}://{request.Host}/{Tenant}";

    private IResult Metadata(HttpRequest request) => Json(new JsonObject
    {
        ["issuer"] = Authority,
        ["authorization_endpoint"] = $"{Root(request)}/oauth2/v2.0/authorize",
        ["token_endpoint"] = $"{Root(request)}/oauth2/v2.0/token",
        ["jwks_uri"] = $"{Root(request)}/discovery/v2.0/keys",
        ["response_types_supported"] = new JsonArray("code", "id_token", "token id_token"),
        ["subject_types_supported"] = new JsonArray("pairwise"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
    });

    /// <summary>The public half of the key only.</summary>
    private IResult Keys()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return Json(new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            }),
        });
    }

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json");
}

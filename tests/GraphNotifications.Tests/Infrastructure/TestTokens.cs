using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>Mints bearer tokens the test service accepts, shaped as Entra ID issues them.</summary>
public static class TestTokens
{
    public const string Issuer = "https://login.graphnotifications.test/";
    public const string Audience = "https://graph.graphnotifications.test";
    public const string Permission = "Notifications.ReadWrite.CreatedByApp";

    public static readonly byte[] SigningKey = "graphnotifications-tests-signing-key-32+bytes!!"u8.ToArray();

    /// <summary>The <c>Authentication:Schemes:Bearer</c> settings that trust these tokens.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> BearerSettings() =>
    [
        new("Authentication:Schemes:Bearer:ValidIssuer", Issuer),
        new("Authentication:Schemes:Bearer:ValidAudiences:0", Audience),
        new("Authentication:Schemes:Bearer:SigningKeys:0:Issuer", Issuer),
        new("Authentication:Schemes:Bearer:SigningKeys:0:Value", Convert.ToBase64String(SigningKey)),
    ];

    /// <summary>A delegated token: the app acts for a signed-in user.</summary>
    public static string Delegated(string userId, string appId, string scope = Permission, Action<SecurityTokenDescriptor>? tweak = null) =>
        Mint(new Dictionary<string, object> { ["oid"] = userId, ["sub"] = "pairwise-" + userId, ["azp"] = appId, ["scp"] = scope }, tweak);

    /// <summary>An app-only token: the app acts for itself, with application roles.</summary>
    public static string AppOnly(string appId, string[]? roles = null, Action<SecurityTokenDescriptor>? tweak = null) =>
        Mint(new Dictionary<string, object> { ["oid"] = "sp-" + appId, ["sub"] = "sp-" + appId, ["appid"] = appId, ["roles"] = roles ?? [Permission] }, tweak);

    /// <summary>A <c>tweak</c> that puts the token in a tenant: the <c>tid</c> claim, as Entra ID sets it.</summary>
    public static Action<SecurityTokenDescriptor> InTenant(string tenantId) => d => d.Claims["tid"] = tenantId;

    public static string Mint(IDictionary<string, object> claims, Action<SecurityTokenDescriptor>? tweak = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = claims,
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SigningKey), SecurityAlgorithms.HmacSha256),
        };
        tweak?.Invoke(descriptor);
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}

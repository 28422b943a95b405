using System.Security.Cryptography;
using GraphNotifications.Api.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GraphNotifications.Bench.Harness;

/// <summary>
/// Bearer tokens signed with a key of this run, and the <c>Authentication:Schemes:Bearer</c> settings that make the
/// service and the ceiling trust them (the settings' shape is the tests' TestTokens).
/// </summary>
internal static class Tokens
{
    private const string Issuer = "https://login.bench.graphnotifications.test/";
    private const string Audience = "https://graph.bench.graphnotifications.test";

    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    public static IEnumerable<string> BearerArguments() =>
    [
        $"--Authentication:Schemes:Bearer:ValidIssuer={Issuer}",
        $"--Authentication:Schemes:Bearer:ValidAudiences:0={Audience}",
        $"--Authentication:Schemes:Bearer:SigningKeys:0:Issuer={Issuer}",
        $"--Authentication:Schemes:Bearer:SigningKeys:0:Value={Convert.ToBase64String(SigningKey)}",
    ];

    /// <summary>A delegated token: the app acts for <paramref name="userId"/> (<c>/me</c>).</summary>
    public static string Delegated(string userId) => Mint(new Dictionary<string, object>
    {
        ["oid"] = userId,
        ["sub"] = "pairwise-" + userId,
        ["azp"] = SeededStore.AppId,
        ["scp"] = NotificationsPermission.Name,
    });

    /// <summary>An app-only token of the seeded app.</summary>
    public static string AppOnly() => Mint(new Dictionary<string, object>
    {
        ["oid"] = "sp-" + SeededStore.AppId,
        ["sub"] = "sp-" + SeededStore.AppId,
        ["appid"] = SeededStore.AppId,
        ["roles"] = new[] { NotificationsPermission.Name },
    });

    private static string Mint(Dictionary<string, object> claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Claims = claims,
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        Expires = DateTime.UtcNow.AddHours(3),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SigningKey), SecurityAlgorithms.HmacSha256),
    });
}

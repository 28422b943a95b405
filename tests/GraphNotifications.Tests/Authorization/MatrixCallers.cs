using System.Text;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace GraphNotifications.Tests.Authorization;

/// <summary>
/// The matrix's columns: for each caller, the token it sends (null: none). The spoiled tokens are the token that
/// succeeds on the route (the user's on <c>/me</c>, the app's elsewhere) with one flaw, so each 401 is that flaw's.
/// </summary>
public static class MatrixCallers
{
    private const string OtherScope = "User.Read";
    private const string OtherRole = "User.Read.All";

    public static IReadOnlyList<(string Name, Func<MatrixIdentities, bool, string?> Token)> All { get; } =
    [
        ("no token", (_, _) => null),
        ("malformed", (ids, me) => Malformed(Rightful(ids, me))),
        ("expired", (ids, me) => Rightful(ids, me, d => (d.NotBefore, d.Expires) = (DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-1)))),
        ("not yet valid", (ids, me) => Rightful(ids, me, d => (d.NotBefore, d.Expires) = (DateTime.UtcNow.AddHours(1), DateTime.UtcNow.AddHours(2)))),
        ("wrong audience", (ids, me) => Rightful(ids, me, d => d.Audience = "https://another-api.graphnotifications.test")),
        ("wrong issuer", (ids, me) => Rightful(ids, me, d => d.Issuer = "https://login.another-issuer.test/")),
        ("bad signature", (ids, me) => Rightful(ids, me, d => d.SigningCredentials = new SigningCredentials(
            new SymmetricSecurityKey("a-key-the-service-does-not-trust-32+bytes"u8.ToArray()), SecurityAlgorithms.HmacSha256))),
        ("alg none", (ids, me) => Unsigned(Rightful(ids, me))),
        ("user, own feed", (ids, _) => TestTokens.Delegated(ids.User, ids.App, tweak: In(MatrixIdentities.Tenant))),
        ("another user", (ids, _) => TestTokens.Delegated(ids.OtherUser, ids.App, tweak: In(MatrixIdentities.Tenant))),
        ("user, no scope", (ids, _) => TestTokens.Delegated(ids.User, ids.App, scope: OtherScope, tweak: In(MatrixIdentities.Tenant))),
        ("app, role", (ids, _) => TestTokens.AppOnly(ids.App, tweak: In(MatrixIdentities.Tenant))),
        ("app, no role", (ids, _) => TestTokens.AppOnly(ids.App, roles: [OtherRole], tweak: In(MatrixIdentities.Tenant))),
        ("another app", (ids, _) => TestTokens.AppOnly(ids.OtherApp, tweak: In(MatrixIdentities.Tenant))),
        // A multi-tenant app has one app id in every tenant: only tid tells the two apart.
        ("other tenant", (ids, _) => TestTokens.AppOnly(ids.App, tweak: In(MatrixIdentities.OtherTenant))),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(caller => caller.Name)];

    public static string? TokenOf(string caller, MatrixIdentities ids, bool onMe) => All.Single(c => c.Name == caller).Token(ids, onMe);

    /// <summary>The token of app A's creating notifications in the cell's set-up.</summary>
    public static string Creator(MatrixIdentities ids) => TestTokens.AppOnly(ids.App, tweak: In(MatrixIdentities.Tenant));

    private static string Rightful(MatrixIdentities ids, bool onMe, Action<SecurityTokenDescriptor>? flaw = null)
    {
        void Tweak(SecurityTokenDescriptor descriptor)
        {
            In(MatrixIdentities.Tenant)(descriptor);
            flaw?.Invoke(descriptor);
        }

        return onMe ? TestTokens.Delegated(ids.User, ids.App, tweak: Tweak) : TestTokens.AppOnly(ids.App, tweak: Tweak);
    }

    private static Action<SecurityTokenDescriptor> In(string tenant) => descriptor => descriptor.Claims["tid"] = tenant;

    /// <summary>A JWS whose payload is not JSON, its header and signature as they were.</summary>
    private static string Malformed(string token)
    {
        string[] parts = token.Split('.');
        return $"{parts[0]}.{Base64UrlEncoder.Encode("not a JSON claims set")}.{parts[2]}";
    }

    /// <summary>The same claims under <c>{"alg":"none"}</c>, with the empty signature of an unsecured JWT (RFC 7519 §6).</summary>
    private static string Unsigned(string token)
    {
        string header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT"}"""));
        return $"{header}.{token.Split('.')[1]}.";
    }
}

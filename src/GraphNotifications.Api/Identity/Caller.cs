using System.Runtime.CompilerServices;
using System.Security.Claims;
using GraphNotifications.Api.Storage;

namespace GraphNotifications.Api.Identity;

/// <summary>
/// Who is calling, read from the token's claims as Entra ID issues them (and as <c>dotnet user-jwts</c> mints them):
/// the app is <c>azp</c>, else <c>appid</c>; a delegated call carries scopes in <c>scp</c> (or <c>scope</c>) and acts
/// for the user <c>oid</c>, else <c>sub</c>; an app-only call carries app roles in <c>roles</c> (or <c>role</c>).
/// </summary>
public sealed record Caller(string AppId, string? UserId, IReadOnlySet<string> Scopes, IReadOnlySet<string> Roles)
{
    /// <summary>The tenant of tokens that carry no <c>tid</c> (development tokens).</summary>
    public const string DefaultTenant = "default";

    /// <summary>The caller's tenant (<c>tid</c>): everything it creates, links and reads stays inside it.</summary>
    public string TenantId { get; init; } = DefaultTenant;

    /// <summary>A delegated call acts for a signed-in user; an app-only call acts for the app itself.</summary>
    public bool IsDelegated => UserId is not null;

    public bool IsAppOnly => UserId is null;

    // A request's principal is read by the token check, the permission check and the controller: once is enough.
    // Keyed weakly, so a caller lives as long as its principal.
    private static readonly ConditionalWeakTable<ClaimsPrincipal, Caller> Read = [];

    public bool Holds(string permission) => IsDelegated ? Scopes.Contains(permission) : Roles.Contains(permission);

    /// <summary>Reads the caller, or says why the token cannot name one.</summary>
    public static Caller? FromClaims(ClaimsPrincipal principal, out string? problem)
    {
        problem = null;
        if (Read.TryGetValue(principal, out var known))
        {
            return known;
        }

        string? appId = First(principal, "azp", "appid");
        if (appId is null)
        {
            problem = "The token names no application (claim 'azp' or 'appid').";
            return null;
        }

        var scopes = Values(principal, "scp", "scope");
        var roles = Values(principal, "roles", "role");
        string? userId = null;
        if (scopes.Count > 0)
        {
            userId = First(principal, "oid", "sub");
            if (userId is null)
            {
                problem = "The delegated token names no user (claim 'oid' or 'sub').";
                return null;
            }
        }

        string tenantId = First(principal, "tid") ?? DefaultTenant;
        if (new[] { appId, userId, tenantId }.Any(id => id?.Length > StorageColumns.MaxIdLength))
        {
            problem = $"The token's app, user or tenant id ('azp'/'appid', 'oid'/'sub', 'tid') is longer than {StorageColumns.MaxIdLength} characters.";
            return null;
        }

        var caller = new Caller(appId, userId, scopes, roles) { TenantId = tenantId };
        Read.AddOrUpdate(principal, caller);
        return caller;
    }

    public static Caller FromClaims(ClaimsPrincipal principal) =>
        FromClaims(principal, out var problem) ?? throw new InvalidOperationException(problem);

    private static string? First(ClaimsPrincipal principal, params string[] types) =>
        types.Select(t => principal.FindFirst(t)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static HashSet<string> Values(ClaimsPrincipal principal, params string[] types) =>
        principal.Claims
            .Where(c => types.Contains(c.Type, StringComparer.Ordinal))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
}

using System.Security.Cryptography;
using System.Text.Json;
using GraphNotifications.Api.Storage;
using Microsoft.AspNetCore.DataProtection;

namespace GraphNotifications.Api.Delta;

/// <summary>
/// Turns a <see cref="DeltaState"/> into an opaque token and back, with Data Protection (authenticated encryption under
/// the key ring kept in the store): a client cannot read, change or forge one. Each kind of token has its own purpose,
/// so a <c>$skiptoken</c> does not pass as a <c>$deltatoken</c>.
/// </summary>
public sealed class DeltaTokens(IDataProtectionProvider provider)
{
    private const string SkipPurpose = "GraphNotifications.Delta.SkipToken.v1";
    private const string DeltaPurpose = "GraphNotifications.Delta.DeltaToken.v1";

    private readonly IDataProtector _skip = provider.CreateProtector(SkipPurpose);
    private readonly IDataProtector _delta = provider.CreateProtector(DeltaPurpose);

    internal string ProtectSkip(DeltaState state) => _skip.Protect(JsonSerializer.Serialize(state));

    internal string ProtectDelta(DeltaState state) => _delta.Protect(JsonSerializer.Serialize(state));

    /// <summary>The state in a token, or null when it is not one this service issued for this feed and kind.</summary>
    internal DeltaState? Unprotect(string token, bool isDeltaToken, AppScope app, string userId)
    {
        try
        {
            string json = (isDeltaToken ? _delta : _skip).Unprotect(token);
            var state = JsonSerializer.Deserialize<DeltaState>(json);
            return state is not null && state.TenantId == app.TenantId && state.AppId == app.AppId && state.UserId == userId
                ? state
                : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }
}

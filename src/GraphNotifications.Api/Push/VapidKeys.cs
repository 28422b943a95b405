using System.Security.Cryptography;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.Push;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Push;

/// <summary>The VAPID key pair pushes are signed with (RFC 8292), base64url as Web Push writes them.</summary>
public sealed record VapidKeyPair(string PublicKey, string PrivateKey);

/// <summary>
/// The service's VAPID key pair: the configured one (<c>Push:VapidPublicKey</c>, <c>Push:VapidPrivateKey</c>), else
/// the one in the store, generated on the first start (<see cref="VapidKeyRecord"/>). Every instance on one store
/// signs with the same key, so a browser subscribed through one instance's public key accepts pushes from any.
/// </summary>
public sealed class VapidKeys(IServiceScopeFactory scopes, IDataProtectionProvider protection, IOptions<PushOptions> options, TimeProvider clock)
{
    private const string Purpose = "GraphNotifications.Push.VapidPrivateKey.v1";

    private readonly SemaphoreSlim _loading = new(1, 1);
    private VapidKeyPair? _pair;

    public async Task<VapidKeyPair> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _pair) is { } known)
        {
            return known;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            _pair ??= options.Value is { VapidPublicKey: { } configuredPublic, VapidPrivateKey: { } configuredPrivate }
                ? new VapidKeyPair(configuredPublic, configuredPrivate)
                : await LoadOrCreateAsync(cancellationToken);
            return _pair;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Whether a configured pair is a P-256 key pair whose halves belong together.</summary>
    public static bool IsValidPair(string? publicKey, string? privateKey)
    {
        if (publicKey is null && privateKey is null)
        {
            return true;
        }

        if (Base64Url.TryDecode(publicKey ?? string.Empty) is not [0x04, ..] point || point.Length != 65
            || Base64Url.TryDecode(privateKey ?? string.Empty) is not { Length: 32 } scalar)
        {
            return false;
        }

        try
        {
            using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar });
            var derived = key.ExportParameters(false).Q;
            return derived.X!.AsSpan().SequenceEqual(point.AsSpan(1, 32)) && derived.Y!.AsSpan().SequenceEqual(point.AsSpan(33, 32));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private async Task<VapidKeyPair> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        var protector = protection.CreateProtector(Purpose);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var stored = await db.VapidKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == VapidKeyRecord.DefaultId, cancellationToken);
        if (stored is null)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var parameters = key.ExportParameters(true);
            byte[] point = [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];
            db.VapidKeys.Add(new VapidKeyRecord
            {
                PublicKey = Base64Url.Encode(point),
                ProtectedPrivateKey = protector.Protect(Base64Url.Encode(parameters.D!)),
                CreatedAt = clock.GetUtcNow().UtcTicks,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance stored its pair first: that one is everyone's.
                db.ChangeTracker.Clear();
            }

            stored = await db.VapidKeys.AsNoTracking().SingleAsync(k => k.Id == VapidKeyRecord.DefaultId, cancellationToken);
        }

        return new VapidKeyPair(stored.PublicKey, protector.Unprotect(stored.ProtectedPrivateKey));
    }
}

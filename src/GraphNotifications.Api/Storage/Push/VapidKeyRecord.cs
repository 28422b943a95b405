using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GraphNotifications.Api.Storage.Push;

/// <summary>
/// The service's VAPID key pair (RFC 8292), generated on the first start and shared by every instance on the store
/// (table <c>VapidKeys</c>, one row). The private key is kept encrypted with Data Protection, whose key ring the store
/// holds as well (as delta tokens are protected).
/// </summary>
public sealed class VapidKeyRecord
{
    public const string DefaultId = "default";

    public string Id { get; init; } = DefaultId;

    /// <summary>The public key, an uncompressed P-256 point, base64url.</summary>
    public required string PublicKey { get; init; }

    /// <summary>The private key (base64url of the 32-byte scalar), protected by Data Protection.</summary>
    public required string ProtectedPrivateKey { get; init; }

    public required long CreatedAt { get; init; }
}

internal sealed class VapidKeyRecordConfiguration : IEntityTypeConfiguration<VapidKeyRecord>
{
    public void Configure(EntityTypeBuilder<VapidKeyRecord> builder)
    {
        builder.ToTable("VapidKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasMaxLength(16);
        builder.Property(k => k.PublicKey).HasMaxLength(128);
        builder.Property(k => k.ProtectedPrivateKey).HasMaxLength(1024);
    }
}

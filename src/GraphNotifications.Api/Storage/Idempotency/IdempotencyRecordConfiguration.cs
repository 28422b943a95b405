using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GraphNotifications.Api.Storage.Idempotency;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyKeys");
        // The key is the scope: a second instance that races to record the same key fails on it, and its create
        // is rolled back with it (the record is written in the create's transaction).
        builder.HasKey(r => new { r.TenantId, r.AppId, r.UserId, r.Key });
        builder.Ignore(r => r.Scope);
        builder.Property(r => r.TenantId).HasMaxLength(128);
        builder.Property(r => r.AppId).HasMaxLength(128);
        builder.Property(r => r.UserId).HasMaxLength(128);
        builder.Property(r => r.Key).HasMaxLength(IdempotencyKeyLimits.MaxLength);
        builder.Property(r => r.Fingerprint).HasMaxLength(64).IsFixedLength();
        builder.Property(r => r.ETag).HasMaxLength(64);
        builder.Property(r => r.ContentType).HasMaxLength(256);
        builder.HasIndex(r => r.ExpiresAt);
    }
}

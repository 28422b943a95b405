using GraphNotifications.Api.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GraphNotifications.Api.Storage.Push;

internal sealed class PushEndpointConfiguration : IEntityTypeConfiguration<PushEndpoint>
{
    public const int MaxDeliveryErrorLength = 500;
    public const int MaxEndpointLength = 2048;

    public void Configure(EntityTypeBuilder<PushEndpoint> builder)
    {
        builder.ToTable("PushEndpoints");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(36);
        builder.Property(e => e.TenantId).HasMaxLength(StorageColumns.MaxIdLength);
        builder.Property(e => e.AppId).HasMaxLength(StorageColumns.MaxIdLength);
        builder.Property(e => e.UserId).HasMaxLength(StorageColumns.MaxIdLength);
        builder.Property(e => e.PlatformType).HasMaxLength(16);
        builder.Property(e => e.Endpoint).HasMaxLength(MaxEndpointLength);
        builder.OwnsOne(e => e.Keys, keys =>
        {
            keys.Property(k => k.P256dh).HasColumnName("P256dh").HasMaxLength(128);
            keys.Property(k => k.Auth).HasColumnName("Auth").HasMaxLength(64);
        });
        builder.Navigation(e => e.Keys).IsRequired();
        // UTC ticks, as every instant of the store: the sweeper compares them in the database.
        builder.Property(e => e.ExpirationDateTime).HasConversion(NullableUtcTicks).HasColumnName("ExpiresAt");
        builder.Property(e => e.CreatedDateTime).HasConversion(UtcTicks).HasColumnName("CreatedAt");
        builder.Property(e => e.LastDeliveryDateTime).HasConversion(NullableUtcTicks).HasColumnName("LastDeliveryAt");
        builder.Property(e => e.LastDeliveryError).HasMaxLength(MaxDeliveryErrorLength);

        // A user's endpoints under an app: the collection (in id order), and the endpoints a push goes to.
        builder.HasIndex(e => new { e.TenantId, e.AppId, e.UserId, e.Id });
        builder.HasIndex(e => e.ExpirationDateTime);
    }

    private static readonly ValueConverter<DateTimeOffset, long> UtcTicks = new(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));

    private static readonly ValueConverter<DateTimeOffset?, long?> NullableUtcTicks = new(
        v => v.HasValue ? v.Value.UtcTicks : null,
        v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);
}

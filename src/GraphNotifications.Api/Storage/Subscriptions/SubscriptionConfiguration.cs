using GraphNotifications.Api.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GraphNotifications.Api.Storage.Subscriptions;

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.ToTable("Subscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(36);
        builder.Property(s => s.TenantId).HasMaxLength(StorageColumns.MaxIdLength);
        builder.Property(s => s.ApplicationId).HasMaxLength(StorageColumns.MaxIdLength).IsRequired();
        builder.Property(s => s.CreatorId).HasMaxLength(StorageColumns.MaxIdLength).IsRequired();
        builder.Property(s => s.OwnerUserId).HasMaxLength(StorageColumns.MaxIdLength);
        builder.Property(s => s.ResourceUserId).HasMaxLength(StorageColumns.MaxIdLength);
        // UTC ticks, as a notification's expiry: the sweeper and the reads compare instants in the database.
        builder.Property(s => s.ExpirationDateTime).HasConversion(UtcTicks).HasColumnName("ExpiresAt");
        builder.Property(s => s.DeliveryFailedDateTime).HasConversion(NullableUtcTicks).HasColumnName("DeliveryFailedAt");
        builder.Property(s => s.LastDeliveryError).HasMaxLength(MaxDeliveryErrorLength);
        builder.Property(s => s.ClaimedBy).HasMaxLength(StorageColumns.MaxIdLength);
        // Stored on PostgreSQL only (PostgresNotificationsDbContext), as the change log's transaction id.
        builder.Ignore(s => s.DeliveredThroughTransaction);

        // Who sees a subscription: its creator's tenant, app and user, in id order (the collection's order).
        builder.HasIndex(s => new { s.TenantId, s.ApplicationId, s.OwnerUserId, s.Id });
        // Delivery finds the subscriptions to a feed.
        builder.HasIndex(s => new { s.TenantId, s.ResourceUserId });
        builder.HasIndex(s => s.ExpirationDateTime);
        // The delivery worker's claim looks for due subscriptions.
        builder.HasIndex(s => s.NextAttemptAt);
    }

    public const int MaxDeliveryErrorLength = 500;

    private static readonly ValueConverter<DateTimeOffset, long> UtcTicks = new(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));

    private static readonly ValueConverter<DateTimeOffset?, long?> NullableUtcTicks = new(
        v => v.HasValue ? v.Value.UtcTicks : null,
        v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);
}

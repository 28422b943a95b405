using GraphNotifications.Api.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GraphNotifications.Api.Storage.Push;

internal sealed class PendingPushConfiguration : IEntityTypeConfiguration<PendingPush>
{
    public void Configure(EntityTypeBuilder<PendingPush> builder)
    {
        builder.ToTable("PendingPushes");
        builder.HasKey(p => p.Sequence);
        builder.Property(p => p.Sequence).ValueGeneratedOnAdd();
        builder.Property(p => p.EndpointId).HasMaxLength(36);
        builder.Property(p => p.NotificationId).HasMaxLength(36);
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(8);
        builder.Property(p => p.ClaimedBy).HasMaxLength(StorageColumns.MaxIdLength);
        // An endpoint that goes (deleted, expired, answered 410) takes its pending pushes with it.
        builder.HasOne<PushEndpoint>().WithMany().HasForeignKey(p => p.EndpointId).OnDelete(DeleteBehavior.Cascade);
        // The claim takes the first pending push of each endpoint: an endpoint's pushes in order, one index range.
        builder.HasIndex(p => new { p.EndpointId, p.Sequence });
        builder.HasIndex(p => p.NextAttemptAt);
    }
}

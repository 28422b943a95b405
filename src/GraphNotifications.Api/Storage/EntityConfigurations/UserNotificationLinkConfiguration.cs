using GraphNotifications.Api.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GraphNotifications.Api.Storage.EntityConfigurations;

internal sealed class UserNotificationLinkConfiguration : IEntityTypeConfiguration<UserNotificationLink>
{
    public void Configure(EntityTypeBuilder<UserNotificationLink> builder)
    {
        builder.ToTable("UserNotificationLinks");
        // (UserId, NotificationId) serves a feed and a $ref lookup; the NotificationId index serves the cascade.
        builder.HasKey(l => new { l.UserId, l.NotificationId });
        builder.Property(l => l.UserId).HasMaxLength(128);
        builder.Property(l => l.NotificationId).HasMaxLength(36);
        builder.HasIndex(l => l.NotificationId);
        builder.HasOne<Notification>().WithMany().HasForeignKey(l => l.NotificationId).OnDelete(DeleteBehavior.Cascade);
    }
}

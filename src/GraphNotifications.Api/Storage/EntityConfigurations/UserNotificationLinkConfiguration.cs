using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GraphNotifications.Api.Storage.EntityConfigurations;

internal sealed class UserNotificationLinkConfiguration : IEntityTypeConfiguration<UserNotificationLink>
{
    public void Configure(EntityTypeBuilder<UserNotificationLink> builder)
    {
        builder.ToTable("UserNotificationLinks");
        // A user id names a user within a tenant, so the tenant leads the key and the feed index: two tenants'
        // users of one id have two feeds. The key serves a $ref lookup; the feed index makes a page of one user's
        // feed a single index range, newest first; the NotificationId index serves the cascade when a notification
        // is deleted.
        builder.HasKey(l => new { l.TenantId, l.UserId, l.NotificationId });
        builder.Property(l => l.TenantId).HasMaxLength(StorageColumns.MaxIdLength);
        builder.Property(l => l.UserId).HasMaxLength(StorageColumns.MaxIdLength);
        builder.Property(l => l.NotificationId).HasMaxLength(36);
        builder.Property(l => l.AppId).HasMaxLength(StorageColumns.MaxIdLength);
        builder.HasIndex(l => new { l.TenantId, l.UserId, l.AppId, l.CreatedAt, l.NotificationId }).HasDatabaseName("IX_UserNotificationLinks_Feed");
        builder.HasIndex(l => l.NotificationId);
        // The recipient's state. The badge (unread items of a feed) and a $filter on readState or userActionState
        // are one index range each, whatever the size of the rest of the feed; the snooze sweeper finds what is due
        // along the last one, across tenants. The read-state index ends with the link's copy of the expiry, so that
        // the badge counts live unread items from the index alone (a feed leaves out what has expired).
        builder.Property(l => l.ReadState);
        builder.Property(l => l.UserActionState);
        builder.Property(l => l.SnoozedUntil).HasConversion(NotificationConfiguration.UtcTicks);
        builder.Property(l => l.StateVersion).IsConcurrencyToken();
        builder.HasIndex(l => new { l.TenantId, l.UserId, l.AppId, l.ReadState, l.CreatedAt, l.NotificationId, l.ExpiresAt }).HasDatabaseName("IX_UserNotificationLinks_ReadState");
        builder.HasIndex(l => new { l.TenantId, l.UserId, l.AppId, l.UserActionState, l.CreatedAt, l.NotificationId }).HasDatabaseName("IX_UserNotificationLinks_UserActionState");
        builder.HasIndex(l => l.SnoozedUntil).HasDatabaseName("IX_UserNotificationLinks_SnoozedUntil");
        builder.HasOne(l => l.Notification).WithMany().HasForeignKey(l => l.NotificationId).OnDelete(DeleteBehavior.Cascade);
    }
}

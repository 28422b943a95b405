using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GraphNotifications.Api.Storage.ChangeLog;

internal sealed class ChangeLogEntryConfiguration : IEntityTypeConfiguration<ChangeLogEntry>
{
    public void Configure(EntityTypeBuilder<ChangeLogEntry> builder)
    {
        builder.ToTable("ChangeLog");
        // An identity (SQLite: INTEGER PRIMARY KEY AUTOINCREMENT, so a swept maximum is never handed out again).
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedOnAdd();
        // Stored on PostgreSQL only (PostgresNotificationsDbContext): SQLite's one writer needs no transaction id.
        builder.Ignore(e => e.TransactionId);
        builder.Property(e => e.TenantId).HasMaxLength(StorageColumns.MaxIdLength);
        builder.Property(e => e.AppId).HasMaxLength(StorageColumns.MaxIdLength);
        builder.Property(e => e.UserId).HasMaxLength(StorageColumns.MaxIdLength);
        builder.Property(e => e.NotificationId).HasMaxLength(36);
        builder.Property(e => e.ChangeType).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.RemovedReason).HasConversion<string>().HasMaxLength(16);
        // A feed's changes since a position are one index range; the retention sweep walks the log by time.
        builder.HasIndex(e => new { e.TenantId, e.AppId, e.UserId, e.Sequence }).HasDatabaseName("IX_ChangeLog_Feed");
        builder.HasIndex(e => e.OccurredAt);
    }
}

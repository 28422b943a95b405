using GraphNotifications.Api.Resources;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage;

/// <remarks>
/// Migrations are checked in under Storage/Migrations. After changing the mapping:
/// <c>dotnet ef migrations add &lt;Name&gt; --project src/GraphNotifications.Api --output-dir Storage/Migrations</c>
/// </remarks>
public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<UserNotificationLink> Links => Set<UserNotificationLink>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NotificationsDbContext).Assembly);
}

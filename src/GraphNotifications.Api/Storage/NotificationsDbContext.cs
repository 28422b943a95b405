using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// The store's one model, whatever the database: the entity configurations in <c>EntityConfigurations/</c> are
/// shared. The app and the store depend on this type; each provider has its own sealed context type only so that
/// each has its own migrations (<see cref="SqliteNotificationsDbContext"/>, <see cref="PostgresNotificationsDbContext"/>),
/// and the in-memory store has one because a context must be concrete.
/// </summary>
/// <remarks>
/// After changing the mapping, add a migration for each provider (docs/changing-the-model.md shows both commands):
/// <c>dotnet ef migrations add &lt;Name&gt; --project src/GraphNotifications.Api --context SqliteNotificationsDbContext --output-dir Storage/Migrations/Sqlite</c>
/// and the same with <c>PostgresNotificationsDbContext</c> and <c>Storage/Migrations/Postgres</c>.
/// </remarks>
public abstract class NotificationsDbContext : DbContext, IDataProtectionKeyContext
{
    protected NotificationsDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<UserNotificationLink> Links => Set<UserNotificationLink>();

    public DbSet<Subscription> Subscriptions => Set<Subscription>();

    /// <summary>Every change to a feed, appended with it (<see cref="ChangeLogEntry"/>).</summary>
    public DbSet<ChangeLogEntry> ChangeLog => Set<ChangeLogEntry>();

    /// <summary>Users' push endpoints (this service's own <c>pushEndpoint</c>).</summary>
    public DbSet<PushEndpoint> PushEndpoints => Set<PushEndpoint>();

    /// <summary>The outbox of Web Push delivery: pushes not yet accepted by a push service.</summary>
    public DbSet<Push.PendingPush> PendingPushes => Set<Push.PendingPush>();

    public DbSet<Push.PushOutboxPosition> PushOutboxPosition => Set<Push.PushOutboxPosition>();

    public DbSet<Push.VapidKeyRecord> VapidKeys => Set<Push.VapidKeyRecord>();

    /// <summary>Data Protection's key ring (delta tokens), in the store so that every instance reads the same keys.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NotificationsDbContext).Assembly);
}

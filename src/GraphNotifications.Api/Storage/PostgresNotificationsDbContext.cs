using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Api.Storage.DynamicProperties;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// The store on PostgreSQL, with its migrations in <c>Storage/Migrations/Postgres</c>. The model is the shared one;
/// only column types that PostgreSQL does better differ: the dynamic properties are <c>jsonb</c>, and the platform
/// names (an EF Core primitive collection) are the provider's native <c>text[]</c>. Instants stay UTC ticks in
/// <c>bigint</c>, as on SQLite (see <c>NotificationConfiguration</c>). The change log records each entry's transaction
/// id, and is ordered by it (<see cref="ChangeLogEntry"/>, docs/postgres.md); a subscription's delivery position holds
/// one too.
/// </summary>
public sealed class PostgresNotificationsDbContext(DbContextOptions<PostgresNotificationsDbContext> options) : NotificationsDbContext(options)
{
    /// <summary>How the service opens the store; the design-time factory opens it the same way.</summary>
    internal static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) => options
        .UseNpgsql(connectionString)
        .TranslateDynamicProperties<PostgresDynamicPropertyTranslator>()
        .ConfigureWarnings(StorageExtensions.IgnoreOptionalVisualContent);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Notification>().Property(n => n.DynamicProperties).HasColumnType("jsonb");

        var log = modelBuilder.Entity<ChangeLogEntry>();
        // Filled by the database in the appending transaction; 0 for the entries that were there before it was recorded.
        log.Property(e => e.TransactionId).HasDefaultValueSql(ChangeLogVisibility.CurrentTransactionId);
        // A feed's changes after a position are one index range, in position order.
        log.Metadata.RemoveIndex(log.Metadata.GetIndexes().Single(i => i.GetDatabaseName() == FeedIndex));
        log.HasIndex(e => new { e.TenantId, e.AppId, e.UserId, e.TransactionId, e.Sequence }).HasDatabaseName(FeedIndex);
        // The whole log in position order (ChangeLogReader.ChangesAsync).
        log.HasIndex(e => new { e.TransactionId, e.Sequence }).HasDatabaseName("IX_ChangeLog_Position");
        modelBuilder.Entity<Subscription>().Property(s => s.DeliveredThroughTransaction);
    }

    private const string FeedIndex = "IX_ChangeLog_Feed";
}

/// <summary>
/// Lets <c>dotnet ef … --context PostgresNotificationsDbContext</c> build the context without the app's configuration.
/// Adding a migration never connects; <c>dotnet ef database update</c> takes the real server with <c>--connection</c>.
/// </summary>
internal sealed class PostgresNotificationsDbContextFactory : IDesignTimeDbContextFactory<PostgresNotificationsDbContext>
{
    public PostgresNotificationsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresNotificationsDbContext>();
        PostgresNotificationsDbContext.Configure(options, "Host=localhost;Database=graphnotifications");
        return new PostgresNotificationsDbContext(options.Options);
    }
}

using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.DynamicProperties;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// The store on PostgreSQL, with its migrations in <c>Storage/Migrations/Postgres</c>. The model is the shared one;
/// only column types that PostgreSQL does better differ: the dynamic properties are <c>jsonb</c>, and the platform
/// names (an EF Core primitive collection) are the provider's native <c>text[]</c>. Instants stay UTC ticks in
/// <c>bigint</c>, as on SQLite (see <c>NotificationConfiguration</c>).
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
    }
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

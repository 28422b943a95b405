using GraphNotifications.Api.Storage.DynamicProperties;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GraphNotifications.Api.Storage;

/// <summary>The store on SQLite, with its migrations in <c>Storage/Migrations/Sqlite</c>. The model is the shared one, unchanged.</summary>
public sealed class SqliteNotificationsDbContext(DbContextOptions<SqliteNotificationsDbContext> options) : NotificationsDbContext(options)
{
    /// <summary>How the service opens the store; the design-time factory opens it the same way.</summary>
    internal static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString, SqliteDurability? durability = null) => options
        .UseSqlite(connectionString)
        .TranslateDynamicProperties<SqliteDynamicPropertyTranslator>()
        .AddInterceptors(durability ?? new SqliteDurability())
        .ConfigureWarnings(warnings =>
        {
            StorageExtensions.IgnoreOptionalVisualContent(warnings);
            // Rebuilding a SQLite table (the TenantScope migration does, to change keys) turns foreign keys off around
            // the rebuild, and SQLite ignores that PRAGMA inside a transaction, so EF Core runs it outside one and warns
            // on every new store. It is expected, and a newcomer can do nothing about it: logged at Information (EF
            // Core's categories are shown from Warning). MigrationLogTests fails when another migration does the same,
            // so each such migration is a decision, not a surprise.
            warnings.Log((RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Information));
        });
}

/// <summary>
/// Lets <c>dotnet ef … --context SqliteNotificationsDbContext</c> build the context without the app's configuration.
/// Adding a migration never opens the database.
/// </summary>
internal sealed class SqliteNotificationsDbContextFactory : IDesignTimeDbContextFactory<SqliteNotificationsDbContext>
{
    public SqliteNotificationsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteNotificationsDbContext>();
        SqliteNotificationsDbContext.Configure(options, StorageOptions.DefaultSqliteConnectionString);
        return new SqliteNotificationsDbContext(options.Options);
    }
}

using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace GraphNotifications.Api.Storage;

public static class StorageExtensions
{
    public const string ConnectionStringName = "Notifications";

    /// <summary>
    /// Registers <see cref="NotificationsDbContext"/> on the provider <c>Storage:Provider</c> names, each provider with
    /// its own context type and migrations, and the <see cref="NotificationStore"/> over it.
    /// </summary>
    public static IServiceCollection AddNotificationsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        string? connectionString = configuration.GetConnectionString(ConnectionStringName);

        services.AddSingleton<StoreWriteStatus>();
        services.AddSingleton<StoreWriteWatch>();
        switch (options.Provider)
        {
            case StorageProvider.Sqlite:
                connectionString ??= StorageOptions.DefaultSqliteConnectionString;
                EnsureDirectoryOf(connectionString);
                services.AddOptions<SqliteStoreOptions>()
                    .BindConfiguration(SqliteStoreOptions.Section)
                    .Validate(o => o.MaxPageCount is null or > 0, $"{SqliteStoreOptions.Section}:MaxPageCount must be positive.")
                    .Validate(o => o.CheckpointInterval > TimeSpan.Zero && o.CheckpointInterval <= TimeSpan.FromHours(1),
                        $"{SqliteStoreOptions.Section}:CheckpointInterval must lie between 0 and 1 hour.")
                    .Validate(o => o.StatisticsInterval >= SqliteStoreOptions.MinimumStatisticsInterval && o.StatisticsInterval <= SqliteStoreOptions.MaximumStatisticsInterval,
                        $"{SqliteStoreOptions.Section}:StatisticsInterval must lie between {SqliteStoreOptions.MinimumStatisticsInterval} and {SqliteStoreOptions.MaximumStatisticsInterval}.")
                    .ValidateOnStart();
                services.AddSingleton<SqliteDurability>();
                if (configuration.GetValue($"{SqliteStoreOptions.Section}:GroupCommit", true))
                {
                    services.AddSingleton<GroupCommit.SqliteWriteGroups>();
                }

                services.AddDbContextPool<NotificationsDbContext, SqliteNotificationsDbContext>((sp, db) =>
                    SqliteNotificationsDbContext.Configure(db, connectionString, sp.GetRequiredService<SqliteDurability>())
                        .AddInterceptors(sp.GetRequiredService<StoreWriteWatch>()));
                services.AddHostedService<SqliteWalCheckpointer>();
                services.AddHostedService<SqliteCheckpointOnStop>();
                services.AddHostedService<SqliteStatistics>();
                break;
            case StorageProvider.Postgres:
                CheckPostgresConnectionString(connectionString);
                if (configuration.GetValue($"{StorageOptions.Section}:Postgres:GroupCommit", true))
                {
                    services.AddSingleton<GroupCommit.PostgresCreateGroups>();
                }

                services.AddDbContextPool<NotificationsDbContext, PostgresNotificationsDbContext>((sp, db) =>
                    PostgresNotificationsDbContext.Configure(db, connectionString!).AddInterceptors(sp.GetRequiredService<StoreWriteWatch>()));
                break;
            case StorageProvider.InMemory:
                services.AddDbContextPool<NotificationsDbContext, InMemoryNotificationsDbContext>((sp, db) =>
                    db.UseInMemoryDatabase(connectionString ?? "notifications").AddInterceptors(sp.GetRequiredService<StoreWriteWatch>()));
                break;
            default:
                throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not supported; use Sqlite, Postgres or InMemory.");
        }

        services.AddScoped<NotificationStore>();
        services.AddOptions<ExpirySweepOptions>()
            .BindConfiguration(ExpirySweepOptions.Section)
            .Validate(o => o.Interval >= ExpirySweepOptions.MinimumInterval && o.Interval <= ExpirySweepOptions.MaximumInterval,
                $"{ExpirySweepOptions.Section}:Interval must lie between {ExpirySweepOptions.MinimumInterval} and {ExpirySweepOptions.MaximumInterval}.")
            .Validate(o => o.BatchSize is >= 1 and <= ExpirySweepOptions.MaximumBatchSize,
                $"{ExpirySweepOptions.Section}:BatchSize must lie between 1 and {ExpirySweepOptions.MaximumBatchSize}.")
            .ValidateOnStart();
        services.AddSingleton<ExpirySweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpirySweeper>());
        services.AddOptions<RecipientStateOptions>()
            .BindConfiguration(RecipientStateOptions.Section)
            .Validate(o => o.SnoozeSweepInterval >= RecipientStateOptions.MinimumInterval && o.SnoozeSweepInterval <= RecipientStateOptions.MaximumInterval,
                $"{RecipientStateOptions.Section}:SnoozeSweepInterval must lie between {RecipientStateOptions.MinimumInterval} and {RecipientStateOptions.MaximumInterval}.")
            .Validate(o => o.SnoozeSweepBatchSize is >= 1 and <= RecipientStateOptions.MaximumBatchSize,
                $"{RecipientStateOptions.Section}:SnoozeSweepBatchSize must lie between 1 and {RecipientStateOptions.MaximumBatchSize}.")
            .Validate(o => o.MarkAllAsReadBatchSize is >= 1 and <= RecipientStateOptions.MaximumBatchSize,
                $"{RecipientStateOptions.Section}:MarkAllAsReadBatchSize must lie between 1 and {RecipientStateOptions.MaximumBatchSize}.")
            .ValidateOnStart();
        services.AddSingleton<SnoozeSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<SnoozeSweeper>());
        services.AddChangeLog();
        return services;
    }

    /// <summary>
    /// Brings the store's schema up to date (EF Core migrations of the provider's context) before the first request.
    /// Instances that start together on one PostgreSQL database are safe: <see cref="MigrationLock"/> lets one
    /// instance migrate, and the others then find the schema current.
    /// </summary>
    public static async Task PrepareNotificationsStoreAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        if (db.Database.IsRelational())
        {
            await MigrationLock.MigrateAsync(db.Database);
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }
        }
        else
        {
            await db.Database.EnsureCreatedAsync();
        }
    }

    // A stored visualContent always has a title (NotificationRules), so all-null columns do mean "no visualContent".
    internal static void IgnoreOptionalVisualContent(WarningsConfigurationBuilder warnings) =>
        warnings.Ignore(RelationalEventId.OptionalDependentWithoutIdentifyingPropertyWarning);

    private static void EnsureDirectoryOf(string connectionString)
    {
        string dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        string? directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory) && dataSource != ":memory:")
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>
    /// Fails the start when the connection string cannot name a PostgreSQL database, rather than at the first
    /// request; the SQLite default of appsettings.json is the usual mistake.
    /// </summary>
    private static void CheckPostgresConnectionString(string? connectionString)
    {
        const string Expected = "ConnectionStrings:Notifications=Host=…;Database=…;Username=…;Password=…";
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Storage:Provider 'Postgres' needs a PostgreSQL connection string ({Expected}): {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new InvalidOperationException($"Storage:Provider 'Postgres' needs a PostgreSQL connection string that names Host and Database ({Expected}).");
        }
    }
}

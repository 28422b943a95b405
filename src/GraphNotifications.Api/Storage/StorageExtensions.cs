using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GraphNotifications.Api.Storage;

public static class StorageExtensions
{
    public const string ConnectionStringName = "Notifications";

    public static IServiceCollection AddNotificationsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        string? connectionString = configuration.GetConnectionString(ConnectionStringName);

        switch (options.Provider)
        {
            case StorageProvider.Sqlite:
                connectionString ??= StorageOptions.DefaultSqliteConnectionString;
                EnsureDirectoryOf(connectionString);
                services.AddDbContextPool<NotificationsDbContext>(db => db
                    .UseSqlite(connectionString)
                    .AddInterceptors(new SqliteDurability())
                    .ConfigureWarnings(IgnoreOptionalVisualContent));
                break;
            case StorageProvider.InMemory:
                services.AddDbContextPool<NotificationsDbContext>(db => db.UseInMemoryDatabase(connectionString ?? "notifications"));
                break;
            default:
                throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not supported; use Sqlite or InMemory.");
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
        return services;
    }

    /// <summary>Brings the store's schema up to date (EF Core migrations) before the first request.</summary>
    public static async Task PrepareNotificationsStoreAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        if (db.Database.IsRelational())
        {
            await db.Database.MigrateAsync();
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
    private static void IgnoreOptionalVisualContent(WarningsConfigurationBuilder warnings) =>
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
}

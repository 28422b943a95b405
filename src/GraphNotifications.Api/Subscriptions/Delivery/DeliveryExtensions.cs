using GraphNotifications.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Subscriptions.Delivery;

public static class DeliveryExtensions
{
    /// <summary>
    /// Delivery of change notifications: its settings (checked at start-up), the commit signal on the relational
    /// contexts, and the worker. Not on EF Core's in-memory store (tests, demos): its log may show entries out of
    /// sequence order (see <see cref="Storage.ChangeLog.ChangeLogEntry"/>) and it runs none of the claim's SQL.
    /// </summary>
    public static IServiceCollection AddChangeNotificationDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>()
            .BindConfiguration(DeliveryOptions.Section)
            .Validate(o => o.PollInterval >= TimeSpan.FromMilliseconds(10) && o.PollInterval <= TimeSpan.FromMinutes(1),
                $"{DeliveryOptions.Section}:PollInterval must lie between 00:00:00.010 and 00:01:00.")
            .Validate(o => o.BatchSize is >= 1 and <= 1000, $"{DeliveryOptions.Section}:BatchSize must lie between 1 and 1000.")
            .Validate(o => o.MaxConcurrentSubscriptions is >= 1 and <= 1000,
                $"{DeliveryOptions.Section}:MaxConcurrentSubscriptions must lie between 1 and 1000.")
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromMinutes(1), $"{DeliveryOptions.Section}:Timeout must lie between 0 and 00:01:00.")
            .Validate(o => o.ClaimLease >= 2 * o.Timeout && o.ClaimLease <= TimeSpan.FromHours(1),
                $"{DeliveryOptions.Section}:ClaimLease must be at least twice Timeout, and at most 01:00:00.")
            .Validate(o => o.RetryBase > TimeSpan.Zero && o.RetryBase <= o.RetryCap && o.RetryCap <= TimeSpan.FromDays(1),
                $"{DeliveryOptions.Section}:RetryBase must be positive and at most RetryCap, and RetryCap at most 1.00:00:00.")
            .Validate(o => o.RetryWindow > TimeSpan.Zero && o.RetryWindow <= TimeSpan.FromDays(7),
                $"{DeliveryOptions.Section}:RetryWindow must lie between 0 and 7.00:00:00.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.InstanceId) && o.InstanceId.Length <= StorageColumns.MaxIdLength,
                $"{DeliveryOptions.Section}:InstanceId must be 1 to {StorageColumns.MaxIdLength} characters.")
            .ValidateOnStart();
        services.AddSingleton<ChangeCommitted>();
        services.AddSingleton<WebhookPost>();
        services.AddScoped<SubscriptionDeliverer>();
        if (configuration.GetValue<StorageProvider?>($"{StorageOptions.Section}:Provider") is StorageProvider.InMemory)
        {
            return services;
        }

        services.AddSingleton<ChangeCommittedInterceptor>();
        services.ConfigureDbContext<SqliteNotificationsDbContext>((sp, db) => db.AddInterceptors(sp.GetRequiredService<ChangeCommittedInterceptor>()));
        services.ConfigureDbContext<PostgresNotificationsDbContext>((sp, db) => db.AddInterceptors(sp.GetRequiredService<ChangeCommittedInterceptor>()));
        services.AddHostedService<DeliveryWorker>();
        return services;
    }
}

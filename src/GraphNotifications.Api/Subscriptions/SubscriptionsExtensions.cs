using GraphNotifications.Api.Storage.Subscriptions;

namespace GraphNotifications.Api.Subscriptions;

public static class SubscriptionsExtensions
{
    /// <summary>
    /// Change-notification subscriptions: their store and sweeper, the <c>Subscriptions</c> settings (checked at
    /// start-up), the notification URL rules and the validation handshake over the webhook client.
    /// </summary>
    public static IServiceCollection AddGraphSubscriptions(this IServiceCollection services)
    {
        services.AddOptions<SubscriptionOptions>()
            .BindConfiguration(SubscriptionOptions.Section)
            .Validate(o => o.MaxLifetime > TimeSpan.Zero && o.MaxLifetime <= SubscriptionOptions.LongestMaxLifetime,
                $"{SubscriptionOptions.Section}:MaxLifetime must lie between 0 and {SubscriptionOptions.LongestMaxLifetime}.")
            .Validate(o => o.ValidationTimeout > TimeSpan.Zero && o.ValidationTimeout <= TimeSpan.FromMinutes(1),
                $"{SubscriptionOptions.Section}:ValidationTimeout must lie between 0 and 1 minute.")
            .Validate(o => o.SweepInterval >= SubscriptionOptions.MinimumSweepInterval && o.SweepInterval <= SubscriptionOptions.MaximumSweepInterval,
                $"{SubscriptionOptions.Section}:SweepInterval must lie between {SubscriptionOptions.MinimumSweepInterval} and {SubscriptionOptions.MaximumSweepInterval}.")
            .Validate(o => o.SweepBatchSize is >= 1 and <= SubscriptionOptions.MaximumSweepBatchSize,
                $"{SubscriptionOptions.Section}:SweepBatchSize must lie between 1 and {SubscriptionOptions.MaximumSweepBatchSize}.")
            .ValidateOnStart();
        services.AddScoped<SubscriptionStore>();
        services.AddSingleton<NotificationUrlGuard>();
        services.AddSingleton<ValidationHandshake>();
        services.AddWebhookClient();
        services.AddSingleton<SubscriptionSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<SubscriptionSweeper>());
        return services;
    }
}

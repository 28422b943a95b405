using GraphNotifications.Api.Push.Delivery;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.Push;
using GraphNotifications.Api.Subscriptions;

namespace GraphNotifications.Api.Push;

public static class PushExtensions
{
    /// <summary>
    /// Push endpoints and Web Push delivery: the <c>Push</c> settings (checked at start-up), the endpoint store, rules
    /// and sweeper, the VAPID keys, the push client, and the worker. The worker runs on the relational stores only, as
    /// webhook delivery does (after <c>AddChangeNotificationDelivery</c>, whose commit signal wakes it).
    /// </summary>
    public static IServiceCollection AddGraphPush(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PushOptions>()
            .BindConfiguration(PushOptions.Section)
            .Validate(o => o.MaxEndpointsPerUser is >= 1 and <= 1000, $"{PushOptions.Section}:MaxEndpointsPerUser must lie between 1 and 1000.")
            .Validate(o => VapidKeys.IsValidPair(o.VapidPublicKey, o.VapidPrivateKey),
                $"{PushOptions.Section}:VapidPublicKey and VapidPrivateKey must be given together: a P-256 key pair, base64url (65-byte uncompressed point, 32-byte scalar).")
            .Validate(o => Uri.TryCreate(o.VapidSubject, UriKind.Absolute, out var subject) && subject.Scheme is "mailto" or "https",
                $"{PushOptions.Section}:VapidSubject must be a mailto: or https: URL.")
            .Validate(o => o.MaxTimeToLive >= TimeSpan.FromMinutes(1) && o.MaxTimeToLive <= TimeSpan.FromDays(28),
                $"{PushOptions.Section}:MaxTimeToLive must lie between 00:01:00 and 28.00:00:00.")
            .Validate(o => o.PollInterval >= TimeSpan.FromMilliseconds(10) && o.PollInterval <= TimeSpan.FromMinutes(1),
                $"{PushOptions.Section}:PollInterval must lie between 00:00:00.010 and 00:01:00.")
            .Validate(o => o.OutboxBatchSize is >= 1 and <= 10_000, $"{PushOptions.Section}:OutboxBatchSize must lie between 1 and 10000.")
            .Validate(o => o.SendBatchSize is >= 1 and <= 1000, $"{PushOptions.Section}:SendBatchSize must lie between 1 and 1000.")
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromMinutes(1), $"{PushOptions.Section}:Timeout must lie between 0 and 00:01:00.")
            .Validate(o => o.ClaimLease >= 2 * o.Timeout && o.ClaimLease <= TimeSpan.FromHours(1),
                $"{PushOptions.Section}:ClaimLease must be at least twice Timeout, and at most 01:00:00.")
            .Validate(o => o.RetryBase > TimeSpan.Zero && o.RetryBase <= o.RetryCap && o.RetryCap <= TimeSpan.FromDays(1),
                $"{PushOptions.Section}:RetryBase must be positive and at most RetryCap, and RetryCap at most 1.00:00:00.")
            .Validate(o => o.RetryWindow > TimeSpan.Zero && o.RetryWindow <= TimeSpan.FromDays(7), $"{PushOptions.Section}:RetryWindow must lie between 0 and 7.00:00:00.")
            .Validate(o => o.SweepInterval >= TimeSpan.FromSeconds(1) && o.SweepInterval <= TimeSpan.FromDays(1),
                $"{PushOptions.Section}:SweepInterval must lie between 00:00:01 and 1.00:00:00.")
            .Validate(o => o.SweepBatchSize is >= 1 and <= 10_000, $"{PushOptions.Section}:SweepBatchSize must lie between 1 and 10000.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.InstanceId) && o.InstanceId.Length <= StorageColumns.MaxIdLength,
                $"{PushOptions.Section}:InstanceId must be 1 to {StorageColumns.MaxIdLength} characters.")
            .ValidateOnStart();
        services.AddScoped<PushEndpointStore>();
        services.AddSingleton<PushEndpointRules>();
        services.AddSingleton<VapidKeys>();
        services.AddSingleton<PushEndpointSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<PushEndpointSweeper>());
        services.AddTransient<VapidAuthorizationHandler>();
        services.AddHttpClient(PushSender.ClientName)
            .AddHttpMessageHandler<VapidAuthorizationHandler>()
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookClient.CreateHandler(sp.GetRequiredService<PushEndpointRules>().AllowPrivateAddresses))
            .ConfigureHttpClient(client => client.DefaultRequestHeaders.UserAgent.ParseAdd("GraphNotifications-WebPush/1.0"));
        services.AddScoped<PushSender>();
        if (configuration.GetValue<StorageProvider?>($"{StorageOptions.Section}:Provider") is StorageProvider.InMemory)
        {
            return services;
        }

        services.AddSingleton<PushWake>();
        services.AddHostedService<PushWorker>();
        return services;
    }
}

using GraphNotifications.Api.Storage.Idempotency;

namespace GraphNotifications.Api.Idempotency;

public static class IdempotencyExtensions
{
    /// <summary>
    /// <c>Idempotency-Key</c> on the creates marked <see cref="IdempotentAttribute"/>: the records (in the
    /// notifications store), the keys in flight on this instance, and the sweeper of expired keys.
    /// </summary>
    public static IServiceCollection AddIdempotentRetries(this IServiceCollection services)
    {
        services.AddScoped<IdempotencyRecords>();
        services.AddSingleton<KeysInFlight>();
        services.AddOptions<IdempotencyOptions>()
            .BindConfiguration(IdempotencyOptions.Section)
            .Validate(o => o.Lifetime >= IdempotencyOptions.MinimumLifetime && o.Lifetime <= IdempotencyOptions.MaximumLifetime,
                $"{IdempotencyOptions.Section}:Lifetime must lie between {IdempotencyOptions.MinimumLifetime} and {IdempotencyOptions.MaximumLifetime}.")
            .Validate(o => o.SweepInterval >= IdempotencyOptions.MinimumSweepInterval && o.SweepInterval <= IdempotencyOptions.MaximumSweepInterval,
                $"{IdempotencyOptions.Section}:SweepInterval must lie between {IdempotencyOptions.MinimumSweepInterval} and {IdempotencyOptions.MaximumSweepInterval}.")
            .Validate(o => o.SweepBatchSize is >= 1 and <= IdempotencyOptions.MaximumSweepBatchSize,
                $"{IdempotencyOptions.Section}:SweepBatchSize must lie between 1 and {IdempotencyOptions.MaximumSweepBatchSize}.")
            .ValidateOnStart();
        services.AddSingleton<IdempotencySweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencySweeper>());
        return services;
    }
}

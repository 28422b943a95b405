using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Storage.Subscriptions;

/// <summary>Deletes expired subscriptions: reads already leave them out, and delivery stops with them.</summary>
public sealed class SubscriptionSweeper(
    IServiceScopeFactory scopes,
    IOptions<SubscriptionOptions> options,
    TimeProvider clock,
    ILogger<SubscriptionSweeper> logger) : PeriodicSweeper(scopes, clock, logger)
{
    protected override string Rows => "expired subscriptions";

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override int BatchSize => options.Value.SweepBatchSize;

    protected override Task<int> DeleteBatchAsync(IServiceProvider services, int batchSize, CancellationToken cancellationToken) =>
        services.GetRequiredService<SubscriptionStore>().DeleteExpiredAsync(batchSize, cancellationToken);
}

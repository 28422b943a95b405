using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Storage.Idempotency;

/// <summary>Deletes expired idempotency records: a lookup already ignores an expired key.</summary>
public sealed class IdempotencySweeper(
    IServiceScopeFactory scopes,
    IOptions<IdempotencyOptions> options,
    TimeProvider clock,
    ILogger<IdempotencySweeper> logger) : PeriodicSweeper(scopes, clock, logger)
{
    protected override string Rows => "expired idempotency keys";

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override int BatchSize => options.Value.SweepBatchSize;

    protected override Task<int> DeleteBatchAsync(IServiceProvider services, int batchSize, CancellationToken cancellationToken) =>
        services.GetRequiredService<IdempotencyRecords>().DeleteExpiredAsync(batchSize, cancellationToken);
}

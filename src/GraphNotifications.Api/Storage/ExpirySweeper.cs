using GraphNotifications.Api.Telemetry;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Storage;

/// <summary>Deletes expired notifications and their feed links.</summary>
public sealed class ExpirySweeper(
    IServiceScopeFactory scopes,
    IOptions<ExpirySweepOptions> options,
    TimeProvider clock,
    GraphMetrics metrics,
    ILogger<ExpirySweeper> logger) : PeriodicSweeper(scopes, clock, logger)
{
    protected override string Rows => "expired notifications";

    protected override TimeSpan Interval => options.Value.Interval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override Task<int> DeleteBatchAsync(IServiceProvider services, int batchSize, CancellationToken cancellationToken) =>
        services.GetRequiredService<NotificationStore>().DeleteExpiredAsync(batchSize, cancellationToken);

    protected override void Swept(int count) => metrics.ExpirationsSwept(count);
}

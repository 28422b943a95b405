using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.Push;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Push;

/// <summary>Deletes expired push endpoints, and with them their pending pushes: reads already leave them out.</summary>
public sealed class PushEndpointSweeper(
    IServiceScopeFactory scopes,
    IOptions<PushOptions> options,
    TimeProvider clock,
    ILogger<PushEndpointSweeper> logger) : PeriodicSweeper(scopes, clock, logger)
{
    protected override string Rows => "expired push endpoints";

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override int BatchSize => options.Value.SweepBatchSize;

    protected override Task<int> DeleteBatchAsync(IServiceProvider services, int batchSize, CancellationToken cancellationToken) =>
        services.GetRequiredService<PushEndpointStore>().DeleteExpiredAsync(batchSize, cancellationToken);
}

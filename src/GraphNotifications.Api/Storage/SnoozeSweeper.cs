using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// Brings snoozed items back when their time comes: each becomes <c>noInteraction</c> again, as one updated change
/// that delta and webhooks see, within <see cref="RecipientStateOptions.SnoozeSweepInterval"/> of it. It runs on every
/// instance; the store's conditional updates make each snooze end once (<see cref="NotificationStore.ResurfaceSnoozedAsync"/>).
/// </summary>
public sealed class SnoozeSweeper(
    IServiceScopeFactory scopes,
    IOptions<RecipientStateOptions> options,
    TimeProvider clock,
    ILogger<SnoozeSweeper> logger) : PeriodicSweeper(scopes, clock, logger)
{
    /// <summary>Raised after every sweep with how many snoozes it ended (tests wait on it).</summary>
    public event Action<int>? SweepEnded;

    protected override string Rows => "ended snoozes";

    protected override TimeSpan Interval => options.Value.SnoozeSweepInterval;

    protected override int BatchSize => options.Value.SnoozeSweepBatchSize;

    protected override Task<int> DeleteBatchAsync(IServiceProvider services, int batchSize, CancellationToken cancellationToken) =>
        services.GetRequiredService<NotificationStore>().ResurfaceSnoozedAsync(batchSize, cancellationToken);

    protected override void Swept(int count) => SweepEnded?.Invoke(count);
}

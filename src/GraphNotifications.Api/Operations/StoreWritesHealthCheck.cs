using GraphNotifications.Api.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GraphNotifications.Api.Operations;

/// <summary>
/// Not ready while the store refuses writes (full, read-only, unreachable), so a balancer sends writes elsewhere.
/// Only for <see cref="Hold"/> after the last refusal: then the instance takes traffic again, and the next write
/// shows whether the store has recovered (a success clears the mark at once).
/// </summary>
internal sealed class StoreWritesHealthCheck(StoreWriteStatus status, TimeProvider clock) : IHealthCheck
{
    public static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.FailingSince is { } since && clock.GetUtcNow() - since < Hold
            ? HealthCheckResult.Unhealthy($"The store refused a write at {since:O} (full, read-only or unreachable); no write has succeeded since.")
            : HealthCheckResult.Healthy());
}

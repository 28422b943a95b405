using GraphNotifications.Api.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace GraphNotifications.Api.Operations;

/// <summary>
/// Probes for orchestrators, outside the OData routes and without a token: <c>/health/live</c> says the process
/// answers; <c>/health/ready</c> also opens the store and says whether it took the last write, so an instance that
/// cannot reach it, or whose store is full or read-only, leaves the rotation. The rate limiter leaves them alone.
/// </summary>
public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddGraphHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<NotificationsDbContext>("store", tags: [ReadyTag])
            .AddCheck<StoreWritesHealthCheck>("store-writes", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapGraphHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        // Not rate limited: probes come from the orchestrator's address, which a flood may share.
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableRateLimiting();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) })
            .AllowAnonymous().DisableRateLimiting();
        return endpoints;
    }
}

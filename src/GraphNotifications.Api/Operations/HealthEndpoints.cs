using GraphNotifications.Api.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace GraphNotifications.Api.Operations;

/// <summary>
/// Probes for orchestrators, outside the OData routes and without a token: <c>/health/live</c> says the process
/// answers; <c>/health/ready</c> also opens the store and says whether it took the last write, so an instance that
/// cannot reach it, or whose store is full or read-only, leaves the rotation.
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
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return endpoints;
    }
}

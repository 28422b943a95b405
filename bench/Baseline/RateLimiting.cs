using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace GraphNotifications.Bench.Baseline;

/// <summary>
/// The service's limiter, chained per tenant and app and per user (src/GraphNotifications.Api/Limits/RateLimiting.cs),
/// with its <c>Limits:PermitsPerApp</c>, <c>Limits:PermitsPerUser</c> and <c>Limits:Window</c> settings: the ceiling
/// pays for the same bookkeeping per request.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddBaselineRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((limiter, configuration) =>
        {
            int perApp = configuration.GetValue("Limits:PermitsPerApp", 60_000);
            int perUser = configuration.GetValue("Limits:PermitsPerUser", 3_000);
            var window = configuration.GetValue("Limits:Window", TimeSpan.FromMinutes(1));
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Window(PartitionOf(context, perUser: false), perApp, window)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => Window(PartitionOf(context, perUser: true), perUser, window)));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        });
        return services.AddRateLimiter(_ => { });
    }

    private static RateLimitPartition<string> Window(string? partition, int permits, TimeSpan window) =>
        partition is null
            ? RateLimitPartition.GetNoLimiter(string.Empty)
            : RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });

    private static string? PartitionOf(HttpContext context, bool perUser)
    {
        if (Caller.Of(context) is not { } caller)
        {
            return perUser ? $"anonymous/{context.Connection.RemoteIpAddress}" : null;
        }

        string app = $"{caller.TenantId}/{caller.AppId}";
        return perUser ? $"{app}/{caller.UserId ?? "(app)"}" : app;
    }
}

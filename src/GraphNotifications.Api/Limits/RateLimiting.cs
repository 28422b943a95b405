using System.Globalization;
using System.Threading.RateLimiting;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Limits;

/// <summary>
/// ASP.NET Core's rate limiter, partitioned per tenant and app and per user (Graph throttles both ways), so one
/// client cannot starve the rest. A rejected request is a 429 with <c>Retry-After</c> and Graph's
/// <c>tooManyRequests</c> error. Requests without a usable token count per client address.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddGraphRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitsOptions>>((limiter, limits) =>
        {
            var settings = limits.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Window(PartitionOf(context, perUser: false), settings.PermitsPerApp, settings.Window)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => Window(PartitionOf(context, perUser: true), settings.PermitsPerUser, settings.Window)));
            limiter.OnRejected = OnRejectedAsync;
        });
        return services.AddRateLimiter(_ => { });
    }

    private static RateLimitPartition<string> Window(string? partition, int permits, TimeSpan window) =>
        partition is null
            ? RateLimitPartition.GetNoLimiter(string.Empty)
            : RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                QueueLimit = 0,
            });

    private static string? PartitionOf(HttpContext context, bool perUser)
    {
        if (context.User.Identity?.IsAuthenticated != true || Caller.FromClaims(context.User, out _) is not { } caller)
        {
            // Requests without a usable token are limited by address, as a user would be.
            return perUser ? $"anonymous/{context.Connection.RemoteIpAddress}" : null;
        }

        string app = $"{caller.TenantId}/{caller.AppId}";
        return perUser ? $"{app}/{caller.UserId ?? "(app)"}" : app;
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await GraphErrorWriter.WriteAsync(context, new GraphError(
            StatusCodes.Status429TooManyRequests,
            GraphErrorCodes.TooManyRequests,
            $"Too many requests: retry after {context.Response.Headers.RetryAfter} seconds."));
    }
}

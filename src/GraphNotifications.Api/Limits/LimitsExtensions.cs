using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Limits;

public static class LimitsExtensions
{
    public static IServiceCollection AddGraphLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Kestrel refuses oversized bodies on the wire; BodySizeLimit holds the decompressed body to the same size.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LimitsOptions>>((kestrel, limits) =>
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes);
        services.AddRequestDecompression();
        return services.AddGraphRateLimiting();
    }

    /// <summary>Before the body is read: refuse encodings Graph does not accept, inflate the others, bound the size.</summary>
    public static IApplicationBuilder UseGraphRequestLimits(this IApplicationBuilder app) =>
        app.UseMiddleware<ContentEncodingGuard>().UseRequestDecompression().UseMiddleware<BodySizeLimit>();
}

using GraphNotifications.Api.Storage.GroupCommit;
using GraphNotifications.Api.Storage;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace GraphNotifications.Api.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>
    /// OpenTelemetry: traces of ASP.NET Core requests and of EF Core commands; metrics of requests per route (ASP.NET
    /// Core's), of the runtime and of the service (<see cref="GraphMetrics"/>); exported as <c>Telemetry:Exporter</c> says, and
    /// not recorded at all without an exporter.
    /// </summary>
    public static WebApplicationBuilder AddGraphTelemetry(this WebApplicationBuilder builder)
    {
        var exporter = ExporterOf(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton<GraphMetrics>();
        services.AddSingleton<StoreMetricsInterceptor>();
        // Each provider has its own context type (and options); the interceptor joins whichever the service runs.
        services.ConfigureDbContext<SqliteNotificationsDbContext>((sp, db) => db.AddInterceptors(sp.GetRequiredService<StoreMetricsInterceptor>()));
        services.ConfigureDbContext<PostgresNotificationsDbContext>((sp, db) => db.AddInterceptors(sp.GetRequiredService<StoreMetricsInterceptor>()));
        services.ConfigureDbContext<InMemoryNotificationsDbContext>((sp, db) => db.AddInterceptors(sp.GetRequiredService<StoreMetricsInterceptor>()));

        // Without an exporter nothing would read what the SDK records, and recording it cost every request CPU.
        if (exporter == TelemetryExporter.None)
        {
            return builder;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(GraphMetrics.MeterName))
            .WithTracing(tracing =>
            {
                tracing.AddServiceTracing();
                _ = exporter == TelemetryExporter.Console ? tracing.AddConsoleExporter() : tracing.AddOtlpExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(GraphMetrics.MeterName);
                _ = exporter == TelemetryExporter.Console ? metrics.AddConsoleExporter() : metrics.AddOtlpExporter();
            });

        // Logs already reach the console through the default logger; OTLP carries them, with their scopes (the
        // request-id), to the collector beside the traces.
        if (exporter == TelemetryExporter.Otlp)
        {
            telemetry.WithLogging(logging => logging.AddOtlpExporter(), options =>
            {
                options.IncludeScopes = true;
                options.IncludeFormattedMessage = true;
            });
        }

        return builder;
    }

    /// <summary>What the service traces: its requests (not the health probes) and the store's commands.</summary>
    public static TracerProviderBuilder AddServiceTracing(this TracerProviderBuilder tracing) => tracing
        // Probes would be most of the traces and say nothing.
        .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
        .AddEntityFrameworkCoreInstrumentation()
        .AddSource(StoreActivities.SourceName);

    private static TelemetryExporter ExporterOf(IConfiguration configuration) =>
        configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()?.Exporter
        ?? (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) ? TelemetryExporter.None : TelemetryExporter.Otlp);
}

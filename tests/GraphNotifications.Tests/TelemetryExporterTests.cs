using System.Net;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace GraphNotifications.Tests;

/// <summary>
/// <c>Telemetry:Exporter</c> chooses where traces and metrics go: with <c>Otlp</c> and an endpoint, the service
/// sends them, and the logs with their scopes, to that collector over OTLP, each signal to its own path.
/// </summary>
public sealed class TelemetryExporterTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>
{
    [Fact]
    public async Task With_the_OTLP_exporter_traces_metrics_and_logs_reach_the_configured_collector()
    {
        await using var collector = await OtlpCollectorStub.StartAsync();
        using var exporting = service.WithWebHostBuilder(host => host
            .UseSetting("Telemetry:Exporter", "Otlp")
            .UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Endpoint.ToString())
            .UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            // A category that logs inside every request, so that a log record with the request's scope exists.
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Routing", "Debug"));
        var client = exporting.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost/v1.0/") });
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.AppOnly("otlp-app"));

        var created = await client.PostAsync("users/otlp-user/notifications", Bodies.Minimal());
        string requestId = created.Headers.GetValues("request-id").Single();

        // The exporters batch (traces) and export on a period (metrics): flushing sends what they hold now. The
        // server span ends once the response is complete, which may be just after the client has read it.
        var tracer = exporting.Services.GetRequiredService<TracerProvider>();
        for (var waited = TimeSpan.Zero; !collector.Received("/v1/traces", "otlp-user/notifications") && waited < TimeSpan.FromSeconds(10); waited += TimeSpan.FromMilliseconds(50))
        {
            Assert.True(tracer.ForceFlush(10_000), "the traces were not flushed");
            await Task.Delay(50);
        }

        Assert.True(exporting.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000), "the metrics were not flushed");
        Assert.True(exporting.Services.GetRequiredService<LoggerProvider>().ForceFlush(10_000), "the logs were not flushed");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.All(collector.Exports, e => Assert.Equal("application/x-protobuf", e.ContentType));
        // The request's span, with the service's name as its resource.
        Assert.True(collector.Received("/v1/traces", "otlp-user/notifications"), "the create's span did not reach /v1/traces");
        Assert.True(collector.Received("/v1/traces", "GraphNotifications"), "the spans do not name the service");
        Assert.True(collector.Received("/v1/metrics", "graphnotifications.notifications.created"), "the service's counters did not reach /v1/metrics");
        Assert.True(collector.Received("/v1/metrics", "http.server.request.duration"), "the request duration did not reach /v1/metrics");
        // Log records carry their scopes: the request's request-id, as the response header gave it.
        Assert.True(collector.Received("/v1/logs", requestId), "no log record with the request's request-id reached /v1/logs");
    }
}

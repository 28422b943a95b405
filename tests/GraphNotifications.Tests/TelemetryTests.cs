using GraphNotifications.Api.Storage.GroupCommit;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace GraphNotifications.Tests;

/// <summary>
/// What an operator sees through OpenTelemetry, caught by the in-memory exporters: a request's span with its route
/// and the store's commands under it, and the service's counters moving.
/// </summary>
public sealed class TelemetryTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>
{
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];

    [Fact]
    public async Task A_create_is_traced_as_a_server_span_with_its_route_and_the_store_commands_under_it()
    {
        using var observed = Observed();
        var client = Client(observed, TestTokens.Delegated("telemetry-user-1", "telemetry-app-1"));

        var response = await client.PostAsync("users/telemetry-user-1/notifications", Bodies.Minimal());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var server = await SpanAsync(s => s.Kind == ActivityKind.Server && (s.GetTagItem("url.path") as string ?? string.Empty).Contains("telemetry-user-1", StringComparison.Ordinal));
        string route = Assert.IsType<string>(server.GetTagItem("http.route"));
        Assert.Contains("notifications", route, StringComparison.Ordinal);
        Assert.DoesNotContain("telemetry-user-1", route, StringComparison.Ordinal);
        var command = await SpanAsync(s => s.Kind == ActivityKind.Client && s.ParentSpanId == server.SpanId);
        Assert.Equal(server.TraceId, command.TraceId);
        // EF Core's commands, or on SQLite the writer's prepared inserts of a create.
        Assert.Contains(command.Source.Name, new[] { "OpenTelemetry.Instrumentation.EntityFrameworkCore", StoreActivities.SourceName });
    }

    [Fact]
    public async Task The_service_counts_what_it_creates_links_dismisses_and_rejects()
    {
        using var observed = Observed();
        var app = Client(observed, TestTokens.AppOnly("telemetry-app-2"));
        string id = await app.CreateAsync("users/telemetry-user-2/notifications");
        var link = await app.PostAsync("users/telemetry-user-3/notifications/$ref", new JsonObject { ["@odata.id"] = $"notifications('{id}')" });
        var dismiss = await app.DeleteAsync($"users/telemetry-user-3/notifications/{id}/$ref");
        var invalid = Bodies.Minimal();
        invalid["priority"] = "Urgent";
        var rejected = await app.PostAsync("users/telemetry-user-2/notifications", invalid);

        Assert.Equal(HttpStatusCode.NoContent, link.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, dismiss.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        observed.Services.GetRequiredService<MeterProvider>().ForceFlush();
        Assert.True(Sum("graphnotifications.notifications.created") >= 1);
        // One link at creation, one by $ref.
        Assert.True(Sum("graphnotifications.links.created") >= 2);
        Assert.True(Sum("graphnotifications.links.removed") >= 1);
        Assert.True(Sum("graphnotifications.requests.rejected", ("graph.error.code", "badRequest"), ("graph.error.detail_code", "invalidValue")) >= 1);
        Assert.Contains(_metrics, m => m.Name == "http.server.request.duration");
    }

    private WebApplicationFactory<Program> Observed() => service.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
    {
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics));
        // EF Core remembers for a second (its logging cache time) that nobody listened to its commands, and the
        // migrations at start-up run before the tracer provider is built: the first requests would go untraced.
        services.ConfigureDbContext<SqliteNotificationsDbContext>(db => db.ConfigureLoggingCacheTime(TimeSpan.Zero));
    }));

    private static HttpClient Client(WebApplicationFactory<Program> factory, string token)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost/v1.0/") });
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>The first exported span that matches; a server span is exported once the response has been sent.</summary>
    private async Task<Activity> SpanAsync(Func<Activity, bool> match)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Activity[] spans;
            lock (_spans)
            {
                spans = [.. _spans];
            }

            if (spans.FirstOrDefault(s => s is not null && match(s)) is { } found)
            {
                return found;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "The span was never exported. " + string.Join("; ", spans.Select(s => $"{s.Source.Name} {s.Kind} {s.DisplayName} {s.SpanId} <- {s.ParentSpanId}")));
            await Task.Delay(20);
        }
    }

    private long Sum(string name, params (string Key, string Value)[] tags)
    {
        long sum = 0;
        foreach (var metric in _metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    pointTags[tag.Key] = tag.Value;
                }

                if (tags.All(t => Equals(pointTags.GetValueOrDefault(t.Key), t.Value)))
                {
                    sum += point.GetSumLong();
                }
            }
        }

        return sum;
    }
}

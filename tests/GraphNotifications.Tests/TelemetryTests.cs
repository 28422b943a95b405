using GraphNotifications.Api.Storage.GroupCommit;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Telemetry;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace GraphNotifications.Tests;

/// <summary>
/// What an operator sees through OpenTelemetry: a request's span with its route and the store's commands under it
/// (caught by the in-memory exporter), and the instruments the metrics are read from, counted exactly for one host
/// (<see cref="HostMeasurements"/>). <see cref="TelemetryExporterTests"/> follows both out through OTLP.
/// </summary>
public sealed class TelemetryTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>, IDisposable
{
    private readonly ExportedSpans _spans = new();
    private HostMeasurements? _measured;

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
        // Exactly what this host did: a count that doubled or missed one would mislead an operator.
        Assert.Equal(1, Sum("graphnotifications.notifications.created"));
        // One link at creation, one by $ref.
        Assert.Equal(2, Sum("graphnotifications.links.created"));
        Assert.Equal(1, Sum("graphnotifications.links.removed"));
        Assert.Equal(1, Sum("graphnotifications.requests.rejected", ("graph.error.code", "badRequest"), ("graph.error.detail_code", "invalidValue")));
    }

    [Fact]
    public async Task Request_rate_and_latency_are_measured_per_route_not_per_url()
    {
        using var observed = Observed();
        var app = Client(observed, TestTokens.AppOnly("telemetry-app-4"));

        await app.CreateAsync("users/telemetry-user-4/notifications");
        await app.CreateAsync("users/telemetry-user-5/notifications");
        var feed = await app.GetAsync("users/telemetry-user-4/notifications");

        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        var creates = Durations(("http.request.method", "POST"), ("http.response.status_code", 201));
        // Both users' creates fall on one route template, which names neither user.
        var route = Assert.Single(creates.Select(p => p.Route).Distinct());
        Assert.Contains("notifications", route, StringComparison.Ordinal);
        Assert.DoesNotContain("telemetry-user", route, StringComparison.Ordinal);
        Assert.Equal(2, creates.Count);
        Assert.All(creates, p => Assert.True(p.Seconds > 0, "a request's latency is recorded"));
        var read = Assert.Single(Durations(("http.request.method", "GET"), ("http.response.status_code", 200)));
        Assert.Equal(route, read.Route);
    }

    [Fact]
    public async Task Rejected_requests_are_counted_by_their_reason()
    {
        using var observed = Observed();
        var app = Client(observed, TestTokens.AppOnly("telemetry-app-6"));
        var anonymous = observed.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost/v1.0/") });
        var missing = Bodies.Minimal();
        missing.Remove("targetHostName");

        var unauthorized = await anonymous.GetAsync("notifications");
        var notFound = await app.GetAsync($"notifications/{Guid.NewGuid()}");
        var invalid = await app.PostAsync("users/telemetry-user-6/notifications", missing);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(1, Sum("graphnotifications.requests.rejected", ("http.response.status_code", 401), ("graph.error.code", "unauthorized"), ("graph.error.detail_code", "none")));
        Assert.Equal(1, Sum("graphnotifications.requests.rejected", ("http.response.status_code", 404), ("graph.error.code", "notFound")));
        Assert.Equal(1, Sum("graphnotifications.requests.rejected", ("http.response.status_code", 400), ("graph.error.code", "badRequest"), ("graph.error.detail_code", "missingProperty")));
        Assert.Equal(3, Sum("graphnotifications.requests.rejected"));
    }

    [Fact]
    public async Task The_expired_notifications_a_sweep_deletes_are_counted()
    {
        // A store of its own with a clock the test moves: the sweep then finds exactly this test's notifications.
        using var store = new SqliteStoreFactory();
        using var observed = Observed(store);
        var app = Client(observed, TestTokens.AppOnly("telemetry-app-7", tweak: d => d.Expires = DateTime.UtcNow.AddDays(2)));
        var expiring = Bodies.Minimal();
        expiring["expirationDateTime"] = store.Clock.GetUtcNow().AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < 3; i++)
        {
            await app.CreateAsync("users/telemetry-user-7/notifications", expiring.DeepClone());
        }

        await app.CreateAsync("users/telemetry-user-7/notifications");
        store.Clock.Advance(TimeSpan.FromHours(2));

        int swept = await observed.Services.GetRequiredService<ExpirySweeper>().SweepOnceAsync(CancellationToken.None);

        Assert.Equal(3, swept);
        Assert.Equal(3, Sum("graphnotifications.expirations.swept"));
    }

    [Fact]
    public async Task A_read_is_traced_with_EF_Cores_query_under_its_server_span()
    {
        using var observed = Observed();
        var app = Client(observed, TestTokens.AppOnly("telemetry-app-8"));

        var feed = await app.GetAsync("users/telemetry-user-8/notifications");

        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        var server = await SpanAsync(s => s.Kind == ActivityKind.Server && (s.GetTagItem("url.path") as string ?? string.Empty).Contains("telemetry-user-8", StringComparison.Ordinal));
        var query = await SpanAsync(s => s.Source.Name == "OpenTelemetry.Instrumentation.EntityFrameworkCore" && s.ParentSpanId == server.SpanId);
        Assert.Equal(server.TraceId, query.TraceId);
        Assert.Equal("sqlite", query.GetTagItem("db.system") ?? query.GetTagItem("db.system.name"));
    }

    [Fact]
    public async Task An_incoming_traceparent_makes_the_request_part_of_the_callers_trace()
    {
        using var observed = Observed();
        var app = Client(observed, TestTokens.AppOnly("telemetry-app-10"));
        var callerTrace = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "users/telemetry-user-10/notifications");
        request.Headers.Add("traceparent", $"00-{callerTrace.ToHexString()}-{callerSpan.ToHexString()}-01");

        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(request)).StatusCode);

        var server = await SpanAsync(s => s.Kind == ActivityKind.Server && (s.GetTagItem("url.path") as string ?? string.Empty).Contains("telemetry-user-10", StringComparison.Ordinal));
        Assert.Equal(callerTrace, server.TraceId);
        Assert.Equal(callerSpan, server.ParentSpanId);
    }

    [Fact]
    public async Task Store_spans_carry_the_SQL_and_never_the_values_a_request_sent()
    {
        using var observed = Observed();
        var app = Client(observed, TestTokens.AppOnly("telemetry-app-11"));
        const string Title = "telemetry-title-never-in-a-span";
        var body = Bodies.Minimal(Title);

        Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("users/telemetry-user-11/notifications", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("users/telemetry-user-11/notifications?$filter=groupName eq 'telemetry-group-11'")).StatusCode);

        var read = await SpanAsync(s => s.Kind == ActivityKind.Server && (s.GetTagItem("url.path") as string ?? string.Empty).Contains("telemetry-user-11", StringComparison.Ordinal)
            && s.GetTagItem("http.request.method") as string == "GET");
        // The feed's query, with its SQL text, in the read's trace.
        await SpanAsync(s => s.Kind == ActivityKind.Client && s.TraceId == read.TraceId
            && s.TagObjects.Any(tag => tag.Value?.ToString()?.Contains("SELECT", StringComparison.Ordinal) == true));
        var storeTags = _spans.Snapshot().Where(s => s.Kind == ActivityKind.Client).SelectMany(s => s.TagObjects)
            .Select(tag => tag.Value?.ToString() ?? string.Empty).ToList();
        Assert.NotEmpty(storeTags);
        Assert.DoesNotContain(storeTags, value => value.Contains(Title, StringComparison.Ordinal)
            || value.Contains("telemetry-user-11", StringComparison.Ordinal)
            || value.Contains("telemetry-group-11", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_stores_background_checkpoints_are_not_traced()
    {
        using var observed = Observed(service.WithWebHostBuilder(host => host.UseSetting("Storage:Sqlite:CheckpointInterval", "00:00:00.05")));
        var app = Client(observed, TestTokens.AppOnly("telemetry-app-12"));

        Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("users/telemetry-user-12/notifications", Bodies.Minimal())).StatusCode);
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        // Ten checkpoints or so have run by now: a span each would bury the requests' traces.
        Assert.DoesNotContain(_spans.Snapshot(), s => s.TagObjects.Any(tag => tag.Value?.ToString()?.Contains("wal_checkpoint(PASSIVE)", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task Health_probes_are_not_traced()
    {
        using var observed = Observed();
        var anonymous = observed.CreateClient();
        var app = Client(observed, TestTokens.AppOnly("telemetry-app-9"));

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("users/telemetry-user-9/notifications")).StatusCode);

        // The request after the probe is exported, so the probe would have been by then.
        await SpanAsync(s => s.Kind == ActivityKind.Server && (s.GetTagItem("url.path") as string ?? string.Empty).Contains("telemetry-user-9", StringComparison.Ordinal));
        Assert.DoesNotContain(_spans.Snapshot(), s => s.Kind == ActivityKind.Server && (s.GetTagItem("url.path") as string ?? string.Empty).StartsWith("/health", StringComparison.Ordinal));
    }

    private WebApplicationFactory<Program> Observed() => Observed(service);

    /// <summary>
    /// The service with its spans exported in memory and its instruments' measurements recorded, both for this host
    /// alone (see <see cref="HostMeasurements"/>).
    /// </summary>
    private WebApplicationFactory<Program> Observed(WebApplicationFactory<Program> factory)
    {
        var observed = WithInMemoryTraces(factory);
        _measured = new HostMeasurements(observed.Services);
        return observed;
    }

    private WebApplicationFactory<Program> WithInMemoryTraces(WebApplicationFactory<Program> factory) => factory.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
    {
        // What the service traces when an exporter is configured (without one it records nothing), exported in memory.
        services.AddOpenTelemetry().WithTracing(tracing => tracing.AddServiceTracing().AddInMemoryExporter(_spans));
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
            Activity[] spans = _spans.Snapshot();

            if (spans.FirstOrDefault(s => s is not null && match(s)) is { } found)
            {
                return found;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "The span was never exported. " + string.Join("; ", spans.Select(s =>
                $"{s.Source.Name} {s.Kind} {s.DisplayName} {s.SpanId} <- {s.ParentSpanId} [{string.Join(", ", s.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"))}]")));
            await Task.Delay(20);
        }
    }

    /// <summary>ASP.NET Core's request durations with <paramref name="tags"/>: each request's route and seconds.</summary>
    private List<(string Route, double Seconds)> Durations(params (string Key, object Value)[] tags) =>
        [.. _measured!.Matching("http.server.request.duration", tags).Select(m => (m.Tags.GetValueOrDefault("http.route") as string ?? "", m.Value))];

    private long Sum(string name, params (string Key, object Value)[] tags) => (long)_measured!.Sum(name, tags);

    public void Dispose() => _measured?.Dispose();

    /// <summary>
    /// The in-memory exporter's collection. It adds each span on the thread that ended it, background work's
    /// included (the store's checkpoints, the expiry sweep), so reads take a copy under the same lock.
    /// </summary>
    private sealed class ExportedSpans : System.Collections.ObjectModel.Collection<Activity>
    {
        private readonly Lock _gate = new();

        public Activity[] Snapshot()
        {
            lock (_gate)
            {
                return [.. this];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (_gate)
            {
                base.InsertItem(index, item);
            }
        }
    }
}

using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// <c>Telemetry:Exporter=Console</c>, for development: the real process writes its spans to standard output as they
/// end, and its metrics (the service's counters among them) at the latest when it stops.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class ConsoleTelemetryTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(40);

    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task With_the_console_exporter_spans_and_the_services_metrics_are_written_to_standard_output()
    {
        await using var service = await ServiceProcess.StartAsync(settings: ["Telemetry:Exporter=Console"]);
        using var client = service.AppOnly("console-telemetry-app");

        await client.CreateAsync("users/console-telemetry-user/notifications");

        // The console exporter's form of a span: its display name (the route), then its tags, the path among them.
        await service.WaitForOutputAsync("/v1.0/users/console-telemetry-user/notifications");
        Assert.True(service.HasWritten("Activity.DisplayName:"), "no span was written");
        service.Terminate();
        Assert.Equal(0, await service.WaitForExitAsync(ExitTimeout));
        Assert.True(service.HasWritten("graphnotifications.notifications.created"), $"the service's counters were not written{Environment.NewLine}{service.Output}");
        Assert.True(service.HasWritten("http.server.request.duration"), "the request duration was not written");
    }
}

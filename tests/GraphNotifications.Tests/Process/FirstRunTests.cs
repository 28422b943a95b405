using System.Net;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// A newcomer's first <c>dotnet run</c>: the service in Development on a new SQLite file prints no warning (nor
/// anything worse) from its start (migrations, a new Data Protection key), through a request, to its stop.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class FirstRunTests
{
    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task The_first_run_in_Development_on_a_new_store_prints_no_warning()
    {
        await using var service = await ServiceProcess.StartAsFirstRunAsync();
        Assert.True(File.Exists(Path.Combine(service.WorkingDirectory, "data", "notifications.db")), "The first run made no store at ./data/notifications.db.");

        // Data Protection makes its key ring in the new store at start-up; the probe opens the store as a request does.
        using (var client = service.ClientWith(token: null))
        {
            using var ready = await client.GetAsync(new Uri(service.BaseAddress, "/health/ready"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        service.Terminate();
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        // The console logger writes each entry's level first: "warn:", "fail:", "crit:".
        Assert.True(service.HasWritten("Hosting environment: Development"), service.Output);
        foreach (string level in new[] { "warn:", "fail:", "crit:" })
        {
            Assert.False(service.HasWritten(level), $"The first run wrote a '{level}' entry:{Environment.NewLine}{service.Output}");
        }
    }
}

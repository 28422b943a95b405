using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Tests;

/// <summary>
/// <c>Shutdown:Timeout</c> bounds how long a SIGTERM waits for requests in flight (the host's shutdown timeout);
/// 25 s by default, below Kubernetes' 30 s grace period, and a value out of range stops the service at start-up.
/// </summary>
public sealed class ShutdownSettingsTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public void The_host_waits_25_seconds_for_requests_in_flight_by_default()
    {
        Assert.Equal(TimeSpan.FromSeconds(25), service.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void A_configured_timeout_is_the_hosts_shutdown_timeout()
    {
        using var host = service.WithWebHostBuilder(web => web.UseSetting("Shutdown:Timeout", "00:00:07"));

        Assert.Equal(TimeSpan.FromSeconds(7), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:10:01")]
    public void A_timeout_out_of_range_stops_the_service_at_start_up(string value)
    {
        using var host = service.WithWebHostBuilder(web => web.UseSetting("Shutdown:Timeout", value));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains("Shutdown:Timeout", error.Message, StringComparison.Ordinal);
    }
}

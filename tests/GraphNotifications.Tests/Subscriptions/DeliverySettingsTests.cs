using GraphNotifications.Api.Subscriptions.Delivery;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Tests.Subscriptions;

/// <summary>Delivery's settings: defaults, start-up refusing values out of range, and no worker on the in-memory store.</summary>
public sealed class DeliverySettingsTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public void Defaults_poll_every_200_ms_and_retry_for_four_hours_and_the_in_memory_store_runs_no_worker()
    {
        var options = service.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;

        Assert.Equal(TimeSpan.FromMilliseconds(200), options.PollInterval);
        Assert.Equal(TimeSpan.FromHours(4), options.RetryWindow);
        Assert.Empty(service.Services.GetServices<IHostedService>().OfType<DeliveryWorker>());
    }

    [Theory]
    [InlineData("Subscriptions:Delivery:PollInterval", "00:00:00", "PollInterval")]
    [InlineData("Subscriptions:Delivery:BatchSize", "0", "BatchSize")]
    [InlineData("Subscriptions:Delivery:Timeout", "00:00:00", "Timeout")]
    [InlineData("Subscriptions:Delivery:ClaimLease", "00:00:05", "ClaimLease")]
    [InlineData("Subscriptions:Delivery:RetryBase", "00:10:00", "RetryBase")]
    [InlineData("Subscriptions:Delivery:RetryWindow", "8.00:00:00", "RetryWindow")]
    [InlineData("Subscriptions:Delivery:MaxConcurrentSubscriptions", "0", "MaxConcurrentSubscriptions")]
    public void A_setting_out_of_range_stops_the_service_at_start_up(string key, string value, string named)
    {
        using var host = service.WithWebHostBuilder(web => web.UseSetting(key, value));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}

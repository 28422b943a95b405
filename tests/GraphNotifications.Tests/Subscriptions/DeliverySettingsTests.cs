using GraphNotifications.Api.Subscriptions.Delivery;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Tests.Subscriptions;

/// <summary>Delivery's settings: defaults, values out of range refused (at start-up, by ValidateOnStart), and no worker on the in-memory store.</summary>
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
    public void A_setting_out_of_range_is_refused_with_its_name(string key, string value, string named)
    {
        // The options as the service registers them (validated on start): read here without a host, whose failed
        // start WebApplicationFactory may report as a disposed provider instead.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddChangeNotificationDelivery(configuration)
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DeliveryOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}

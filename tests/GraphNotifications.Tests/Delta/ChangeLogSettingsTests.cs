using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Tests.Delta;

/// <summary>The change log's settings: defaults, and start-up refusing values out of range.</summary>
public sealed class ChangeLogSettingsTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public void Entries_are_kept_seven_days_by_default_and_swept_by_a_hosted_service()
    {
        var options = service.Services.GetRequiredService<IOptions<ChangeLogOptions>>().Value;

        Assert.Equal(TimeSpan.FromDays(7), options.Retention);
        Assert.Single(service.Services.GetServices<IHostedService>().OfType<ChangeLogSweeper>());
    }

    [Theory]
    [InlineData("ChangeLog:Retention", "00:00:30", "Retention")]
    [InlineData("ChangeLog:Retention", "91.00:00:00", "Retention")]
    [InlineData("ChangeLog:SweepInterval", "00:00:00", "SweepInterval")]
    [InlineData("ChangeLog:SweepBatchSize", "0", "SweepBatchSize")]
    public void A_setting_out_of_range_stops_the_service_at_start_up(string key, string value, string named)
    {
        using var host = service.WithWebHostBuilder(web => web.UseSetting(key, value));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}

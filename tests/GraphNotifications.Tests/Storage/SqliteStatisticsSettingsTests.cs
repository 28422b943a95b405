using GraphNotifications.Api.Storage;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Tests.Storage;

/// <summary>
/// The statistics policy's setting: hourly by default, out-of-range values refused at start-up, and the policy runs
/// on SQLite only (PostgreSQL keeps its own statistics; the in-memory store has none). Its effect on plans is in
/// DynamicFilterPlanTests.
/// </summary>
public sealed class SqliteStatisticsSettingsTests(SqliteServiceFactory sqlite, ServiceFactory inMemory)
    : IClassFixture<SqliteServiceFactory>, IClassFixture<ServiceFactory>
{
    [Fact]
    public void The_policy_runs_hourly_on_SQLite_and_not_on_another_store()
    {
        Assert.Equal(TimeSpan.FromHours(1), sqlite.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.StatisticsInterval);
        Assert.Single(sqlite.Services.GetServices<IHostedService>().OfType<SqliteStatistics>());
        Assert.Empty(inMemory.Services.GetServices<IHostedService>().OfType<SqliteStatistics>());
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("2.00:00:00")]
    public void An_interval_out_of_range_stops_the_service_at_start_up(string value)
    {
        using var host = sqlite.WithWebHostBuilder(web => web.UseSetting("Storage:Sqlite:StatisticsInterval", value));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains("StatisticsInterval", error.Message, StringComparison.Ordinal);
    }
}

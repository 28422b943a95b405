using System.Net;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>Health probes: outside the OData routes, no token needed.</summary>
public sealed class HealthTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Probes_answer_healthy_without_a_token(string path)
    {
        var response = await service.ClientWith(token: null).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/v1.0/health/live")]
    [InlineData("/beta/health/ready")]
    public async Task Probes_are_not_served_under_the_OData_routes(string path)
    {
        // Even with a token: there is no such OData path.
        var response = await service.ClientWith(TestTokens.AppOnly("health-app")).GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull((await response.ReadObjectAsync()).ErrorCode());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace GraphNotifications.Tests.Push;

/// <summary>The service as outside Development: push endpoints must be https on public addresses, two a user at most.</summary>
public sealed class StrictPushFactory : ServiceFactoryBase
{
    protected override void ConfigureStore(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Provider", "InMemory");
        builder.UseSetting("ConnectionStrings:Notifications", "push-rules-" + Guid.NewGuid().ToString("N"));
        builder.UseSetting("Push:AllowPrivateEndpoints", "false");
        builder.UseSetting("Push:RequireHttps", "true");
        builder.UseSetting("Push:MaxEndpointsPerUser", "2");
    }
}

/// <summary>The webhooks' SSRF rules applied to push endpoints, and the limit per user.</summary>
public sealed class PushEndpointRulesTests(StrictPushFactory service) : IClassFixture<StrictPushFactory>
{
    [Theory]
    [InlineData("http://push.example.test/x", "must use https")]
    [InlineData("https://127.0.0.1/x", "loopback")]
    [InlineData("https://[::1]/x", "loopback")]
    [InlineData("https://10.1.2.3/x", "private")]
    [InlineData("https://169.254.169.254/latest", "link-local")]
    public async Task An_endpoint_the_service_must_not_call_is_refused(string endpoint, string reason)
    {
        var client = service.Delegated("user-" + Guid.NewGuid().ToString("N"), "rules-app");

        var refused = await client.PostAsync("me/pushEndpoints", Bodies.Json(PushEndpointTests.Subscription(endpoint)));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = await refused.ReadObjectAsync();
        Assert.Contains(reason, error.ErrorMessage(), StringComparison.Ordinal);
        Assert.Equal("endpoint", error["error"]!["details"]![0]!["target"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_user_has_at_most_the_configured_number_of_endpoints_under_an_app()
    {
        string user = "user-" + Guid.NewGuid().ToString("N");
        var client = service.Delegated(user, "limit-app");
        // Public addresses by literal: no DNS is needed to judge them.
        foreach (string endpoint in new[] { "https://93.184.215.14/a", "https://93.184.215.14/b" })
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("me/pushEndpoints", Bodies.Json(PushEndpointTests.Subscription(endpoint)))).StatusCode);
        }

        var third = await client.PostAsync("me/pushEndpoints", Bodies.Json(PushEndpointTests.Subscription("https://93.184.215.14/c")));
        var underAnotherApp = await service.Delegated(user, "limit-app-2").PostAsync("me/pushEndpoints",
            Bodies.Json(PushEndpointTests.Subscription("https://93.184.215.14/c")));

        Assert.Equal(HttpStatusCode.BadRequest, third.StatusCode);
        Assert.Contains("most allowed", (await third.ReadObjectAsync()).ErrorMessage(), StringComparison.Ordinal);
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonObject>("me/pushEndpoints"))!["value"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.Created, underAnotherApp.StatusCode);
    }
}

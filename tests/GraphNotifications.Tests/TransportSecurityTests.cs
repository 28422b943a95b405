using System.Net;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GraphNotifications.Tests;

/// <summary>
/// What every response tells a browser or a scanner: no server banner and <c>nosniff</c> on the real Kestrel
/// listener (the in-process test server never writes a <c>Server</c> header, so only Kestrel can show it is off), and,
/// in the Production environment only, HSTS on HTTPS answers and a redirect from HTTP to HTTPS.
/// </summary>
public sealed class TransportSecurityTests(KestrelServiceFactory kestrel, ServiceFactory service)
    : IClassFixture<KestrelServiceFactory>, IClassFixture<ServiceFactory>
{
    private const string PublicHost = "graph.contoso.test";

    [Theory]
    [InlineData("me/notifications", true)]
    [InlineData("me/notifications", false)]
    [InlineData("$metadata", false)]
    [InlineData("no/such/path", true)]
    public async Task Kestrel_sends_no_server_banner_and_nosniff_on_every_answer(string path, bool withToken)
    {
        using var client = new HttpClient { BaseAddress = kestrel.ServiceRoot };
        if (withToken)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Delegated("transport-user", "transport-app"));
        }

        var response = await client.GetAsync(path);

        Assert.False(response.Headers.Contains("Server"), $"{(int)response.StatusCode} names its server: {response.Headers.Server}");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task In_production_an_https_answer_carries_HSTS()
    {
        using var production = InProduction();
        var client = Client(production, "https");

        var response = await client.GetAsync("me/notifications");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // ASP.NET Core's default: 30 days, without includeSubDomains or preload (the host's other names are not ours).
        Assert.Equal("max-age=2592000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Theory]
    [InlineData("GET", "me/notifications")]
    [InlineData("POST", "me/notifications")]
    [InlineData("GET", "$metadata")]
    public async Task In_production_plain_HTTP_is_redirected_to_HTTPS_before_anything_runs(string method, string path)
    {
        using var production = InProduction();
        var client = Client(production, "http");
        var before = await Client(production, "https").GetAsync("me/notifications");

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? Bodies.Json(Bodies.Minimal()) : null,
        });

        // 307 keeps the method and body, so a POST sent over HTTP can be resent as it was, over HTTPS.
        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(new Uri($"https://{PublicHost}/v1.0/{path}"), response.Headers.Location);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS is sent over HTTPS only");
        var after = await Client(production, "https").GetAsync("me/notifications");
        Assert.Equal(await before.Content.ReadAsStringAsync(), await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Outside_production_neither_HSTS_nor_a_redirect()
    {
        var plain = await Client(service, "http").GetAsync("me/notifications");
        var secure = await Client(service, "https").GetAsync("me/notifications");

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.False(secure.Headers.Contains("Strict-Transport-Security"));
    }

    /// <summary>
    /// The service as Production runs it, with the HTTPS port a TLS listener (or the proxy in front) would give it:
    /// without one, ASP.NET Core's redirection has nowhere to send a client and lets the request through.
    /// </summary>
    private WebApplicationFactory<Program> InProduction() => service.WithWebHostBuilder(host => host
        .UseEnvironment("Production")
        .UseSetting("https_port", "443"));

    /// <summary>A client of a public host name: HSTS is never sent to localhost, which a browser must not pin.</summary>
    private static HttpClient Client(WebApplicationFactory<Program> factory, string scheme)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri($"{scheme}://{PublicHost}/v1.0/"),
            AllowAutoRedirect = false,
        });
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Delegated("transport-user", "transport-app"));
        return client;
    }
}

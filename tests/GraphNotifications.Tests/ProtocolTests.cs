using System.Net;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests;

/// <summary>Graph's protocol around every response: correlation headers, OData-Version, and one error shape.</summary>
public sealed class ProtocolTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Theory]
    [InlineData("me/notifications", null)]
    [InlineData("me/notifications", "3f0f8e4e-5d5b-4c55-9d4e-1f0c2a7b9a10")]
    [InlineData("no/such/path", null)]
    [InlineData("$metadata", "caller-chosen-id")]
    public async Task Every_response_carries_request_ids_and_the_OData_version(string url, string? clientRequestId)
    {
        var client = service.Delegated("protocol-user", "protocol-app");
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (clientRequestId is not null)
        {
            request.Headers.Add("client-request-id", clientRequestId);
        }

        var response = await client.SendAsync(request);

        string requestId = Assert.Single(response.Headers.GetValues("request-id"));
        Assert.True(Guid.TryParse(requestId, out _));
        Assert.Equal(clientRequestId ?? requestId, Assert.Single(response.Headers.GetValues("client-request-id")));
        Assert.Equal("4.0", Assert.Single(response.Headers.GetValues("OData-Version")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData("GET", "no/such/path", null, HttpStatusCode.NotFound, "notFound")]
    [InlineData("GET", "me/somethingElse", null, HttpStatusCode.NotFound, "notFound")]
    [InlineData("PUT", "me/notifications", null, HttpStatusCode.MethodNotAllowed, "methodNotAllowed")]
    [InlineData("GET", "me/notifications", "text/csv", HttpStatusCode.NotAcceptable, "notAcceptable")]
    public async Task Errors_the_framework_raises_have_Graphs_body(string method, string url, string? accept, HttpStatusCode status, string code)
    {
        var client = service.Delegated("protocol-user", "protocol-app");
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        await AssertGraphErrorAsync(response, code);
    }

    [Fact]
    public async Task A_failure_inside_the_service_is_a_500_with_Graphs_body_and_no_internals()
    {
        using var failing = service.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            services.Configure<MvcOptions>(mvc => mvc.Filters.Add(new FailingFilter()))));
        var client = failing.CreateClient(new() { BaseAddress = new Uri("http://localhost/v1.0/") });
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Delegated("protocol-user", "protocol-app"));

        var response = await client.GetAsync("me/notifications");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(FailingFilter.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("at GraphNotifications", text, StringComparison.Ordinal);
        await AssertGraphErrorAsync(response, "internalServerError");
    }

    [Fact]
    public async Task The_beta_version_serves_the_same_feed()
    {
        var client = service.Delegated("protocol-beta", "protocol-app");
        string id = await client.CreateAsync("me/notifications");

        var response = await client.GetAsync($"/beta/me/notifications/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://localhost/beta/$metadata#notifications/$entity", (await response.ReadObjectAsync())["@odata.context"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("me/notifications/{0}")]
    [InlineData("me/notifications('{0}')")]
    [InlineData("users/protocol-keys/notifications/{0}")]
    [InlineData("users('protocol-keys')/notifications('{0}')")]
    [InlineData("users/protocol-keys/notifications('{0}')")]
    public async Task A_notification_is_addressed_by_key_in_either_OData_syntax(string template)
    {
        var client = service.Delegated("protocol-keys", "protocol-app");
        string id = await client.CreateAsync("me/notifications");

        var response = await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, (await response.ReadObjectAsync())["id"]!.GetValue<string>());
    }

    private static async Task AssertGraphErrorAsync(HttpResponseMessage response, string code)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = await response.ReadObjectAsync();
        Assert.Equal(code, error.ErrorCode());
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorMessage()));
        var inner = error["error"]!["innerError"]!;
        Assert.Equal(Assert.Single(response.Headers.GetValues("request-id")), inner["request-id"]!.GetValue<string>());
        Assert.NotNull(inner["client-request-id"]);
        Assert.NotNull(inner["date"]);
    }

    private sealed class FailingFilter : IActionFilter
    {
        public const string Secret = "connection-string-password";

        public void OnActionExecuting(ActionExecutingContext context) => throw new InvalidOperationException(Secret);

        public void OnActionExecuted(ActionExecutedContext context)
        {
        }
    }
}

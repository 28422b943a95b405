using System.Net;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>
/// An empty or malformed JSON body, on every write route that takes one, is a 400 in the service's own words: what
/// the route expected, and for malformed JSON where the parser stopped (line and position, 1-based); never
/// System.Text.Json's internals. Nothing is stored.
/// </summary>
public sealed class RequestBodyErrorTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    private const string User = "body-errors-user";
    private const string App = "body-errors-app";

    /// <summary>Route, method, who sends it, and a word of what the route expects (its answer names it).</summary>
    public static TheoryData<string, string, string, string> WriteRoutes => new()
    {
        { "POST", "me/notifications", "delegated", "a notification as a JSON object" },
        { "POST", $"users/{User}/notifications", "app", "a notification as a JSON object" },
        { "POST", "notifications", "app", "a notification as a JSON object" },
        { "PATCH", "me/notifications/{id}", "delegated", "a notification as a JSON object" },
        { "PATCH", "notifications/{id}", "app", "a notification as a JSON object" },
        { "POST", "me/notifications/$ref", "delegated", "a reference to a notification, {\"@odata.id\": \"<its URL>\"}" },
        { "POST", $"users/{User}/notifications/$ref", "app", "a reference to a notification" },
        { "POST", "subscriptions", "delegated", "a subscription as a JSON object" },
        { "PATCH", "subscriptions/00000000-0000-0000-0000-000000000000", "delegated", "a subscription as a JSON object" },
        { "POST", "$batch", "delegated", "a batch, {\"requests\": [" },
    };

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task An_empty_body_is_a_400_that_says_it_is_empty_and_what_was_expected(string method, string route, string caller, string expected)
    {
        foreach (string empty in new[] { "", "  \r\n\t " })
        {
            var message = await RefusedAsync(method, route, caller, empty);

            Assert.StartsWith("The request body is empty: ", message, StringComparison.Ordinal);
            Assert.Contains(expected, message, StringComparison.Ordinal);
            Assert.EndsWith(" was expected.", message, StringComparison.Ordinal);
            AssertNoParserInternals(message);
        }
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task A_malformed_body_is_a_400_that_says_where_and_what_was_expected(string method, string route, string caller, string expected)
    {
        // The colon after "payload" is missing: the parser stops at the '{' of line 3, position 13.
        const string body = "{\n  \"targetHostName\": \"contoso\",\n  \"payload\" {\"rawContent\": \"x\"}\n}";

        var message = await RefusedAsync(method, route, caller, body);

        Assert.StartsWith("The request body is not valid JSON: ", message, StringComparison.Ordinal);
        Assert.Contains("'{' is invalid after a property name", message, StringComparison.Ordinal);
        Assert.Contains(" at line 3, position 13; ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        AssertNoParserInternals(message);
    }

    [Fact]
    public async Task A_body_cut_short_says_so_at_its_end()
    {
        var message = await RefusedAsync("POST", "me/notifications", "delegated", "{\"targetHostName\": \"contoso\",");

        Assert.StartsWith("The request body is not valid JSON: ", message, StringComparison.Ordinal);
        Assert.Contains(" at line 1, position ", message, StringComparison.Ordinal);
        AssertNoParserInternals(message);
    }

    [Fact]
    public async Task An_empty_or_malformed_create_stores_nothing()
    {
        var client = service.Delegated("body-errors-nothing-stored", App);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("me/notifications", Bodies.Json(""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("me/notifications", Bodies.Json("{\"targetHostName\""))).StatusCode);

        var count = await client.GetStringAsync("me/notifications/$count");

        Assert.Equal("0", count);
    }

    private async Task<string> RefusedAsync(string method, string route, string caller, string body)
    {
        var client = Client(caller);
        if (route.Contains("{id}", StringComparison.Ordinal))
        {
            // PATCH addresses a notification that exists, so that only the body is wrong.
            string id = await Client("app").CreateAsync($"users/{User}/notifications", Bodies.Minimal());
            route = route.Replace("{id}", id, StringComparison.Ordinal);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), route) { Content = Bodies.Json(body) };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal("badRequest", error["error"]!["code"]!.GetValue<string>());
        return error.ErrorMessage();
    }

    private HttpClient Client(string caller) =>
        caller == "app" ? service.AppOnly(App) : service.Delegated(User, App);

    private static void AssertNoParserInternals(string message)
    {
        Assert.DoesNotContain("isFinalBlock", message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", message, StringComparison.Ordinal);
    }
}

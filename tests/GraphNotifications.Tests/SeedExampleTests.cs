using System.Net;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>Graph's "Add notifications" example: as written it has two flaws; mended, it is what the page shows.</summary>
public sealed class SeedExampleTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task The_example_as_written_is_a_400_naming_both_of_its_problems()
    {
        var client = service.Delegated("seed-user-1", "seed-app");

        var response = await client.PostAsync("me/notifications", Bodies.Json(Bodies.SeedExample));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal("badRequest", error.ErrorCode());
        Assert.Equal(["expirationDateTime", "priority"], error.ErrorTargets());
        string priorityMessage = error["error"]!["details"]!.AsArray()
            .Single(d => d!["target"]!.GetValue<string>() == "priority")!["message"]!.GetValue<string>();
        Assert.Contains("None, High, Low", priorityMessage, StringComparison.Ordinal);
        var feed = await (await client.GetAsync("me/notifications")).ReadObjectAsync();
        Assert.Empty(feed["value"]!.AsArray());
    }

    [Fact]
    public async Task The_corrected_example_is_created_and_answered_as_the_page_shows()
    {
        var client = service.Delegated("seed-user-2", "seed-app");
        var expires = DateTimeOffset.UtcNow.AddDays(3);

        var response = await client.PostAsync("me/notifications", Bodies.CorrectedSeed(expires));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadObjectAsync();
        string id = body["id"]!.GetValue<string>();
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(new Uri($"http://localhost/v1.0/notifications('{id}')"), response.Headers.Location);
        Assert.Equal("http://localhost/v1.0/$metadata#notifications/$entity", body["@odata.context"]!.GetValue<string>());
        Assert.Equal("#microsoft.graph.notification", body["@odata.type"]!.GetValue<string>());
        Assert.Equal("#microsoft.graph.payloadTypes", body["payload"]!["@odata.type"]!.GetValue<string>());
        Assert.Equal("#microsoft.graph.visualProperties", body["payload"]!["visualContent"]!["@odata.type"]!.GetValue<string>());
        Assert.Equal("#microsoft.graph.targetPolicyEndpoints", body["targetPolicy"]!["@odata.type"]!.GetValue<string>());
        Assert.Equal("Target Host Name value", body["targetHostName"]!.GetValue<string>());
        Assert.Equal("Title value", body["payload"]!["visualContent"]!["title"]!.GetValue<string>());
        Assert.Equal("High", body["priority"]!.GetValue<string>());
        Assert.Equal(1, body["displayTimeToLive"]!.GetValue<int>());
        Assert.Equal(["Platform Types value"], body["targetPolicy"]!["platformTypes"]!.AsArray().Select(p => p!.GetValue<string>()));
        var returnedExpiry = DateTimeOffset.Parse(body["expirationDateTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expires.UtcTicks / 10, returnedExpiry.UtcTicks / 10);
        Assert.Equal(TimeSpan.Zero, returnedExpiry.Offset);
    }
}

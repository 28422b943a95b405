using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>
/// <c>Prefer: return=minimal | return=representation</c> on every create route and on PATCH (OData 4.01 Part 1,
/// 8.2.8.7), and <c>Preference-Applied</c> naming exactly what was honored.
/// </summary>
public sealed class PreferenceTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    public static TheoryData<string, bool> CreateRoutes => new()
    {
        { "me/notifications", true },
        { "users/pref-owner/notifications", false },
        { "notifications", false },
        { "/beta/notifications", false },
    };

    [Theory]
    [MemberData(nameof(CreateRoutes))]
    public async Task Return_minimal_on_a_create_is_a_204_that_names_the_new_notification(string route, bool delegated)
    {
        var client = Client(delegated);

        var response = await client.SendAsync(Post(route, "return=minimal"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("return=minimal", Single(response, "Preference-Applied"));
        var location = response.Headers.Location!;
        Assert.Matches(@"^http://localhost/(v1\.0|beta)/notifications\('[0-9a-f-]{36}'\)$", location.AbsoluteUri);
        Assert.Equal(location.AbsoluteUri, Single(response, "OData-EntityId"));
        // Created into a feed, the tag is the feed's (docs/recipient.md); in the entity set, the content's.
        Assert.Equal(route.Contains("me/") || route.Contains("users/") ? "W/\"1.1\"" : "W/\"1\"", response.Headers.ETag?.ToString());
        // The canonical URL is the entity set's, which the app reads whichever route created the notification.
        var stored = await Client(delegated: false).ReadNotificationAsync(location.AbsoluteUri);
        Assert.Equal("Hello", stored["payload"]!["visualContent"]!["title"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(CreateRoutes))]
    public async Task Return_representation_on_a_create_is_a_201_with_the_notification(string route, bool delegated)
    {
        var client = Client(delegated);

        var response = await client.SendAsync(Post(route, "return=representation"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("return=representation", Single(response, "Preference-Applied"));
        var body = await response.ReadObjectAsync();
        string id = body["id"]!.GetValue<string>();
        Assert.Equal($"{Root(route)}notifications('{id}')", response.Headers.Location!.AbsoluteUri);
        Assert.Equal($"{Root(route)}$metadata#notifications/$entity", body["@odata.context"]!.GetValue<string>());
        Assert.Equal("#microsoft.graph.notification", body["@odata.type"]!.GetValue<string>());
        Assert.Equal(response.Headers.ETag!.ToString(), body["@odata.etag"]!.GetValue<string>());
        Assert.False(response.Headers.Contains("OData-EntityId"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("return=minimalist")]
    [InlineData("odata.maxpagesize=5")]
    public async Task Without_a_return_preference_a_create_is_a_201_and_nothing_is_applied(string? prefer)
    {
        var client = Client(delegated: false);

        var response = await client.SendAsync(Post("notifications", prefer));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Preference-Applied"));
        Assert.NotNull(response.Headers.Location);
        Assert.NotNull((await response.ReadObjectAsync())["id"]);
    }

    [Theory]
    [InlineData("return=representation, return=minimal", HttpStatusCode.Created, "return=representation")]
    [InlineData("return=minimal, return=representation", HttpStatusCode.NoContent, "return=minimal")]
    [InlineData("RETURN = \"minimal\"; odata.whatever=1", HttpStatusCode.NoContent, "return=minimal")]
    [InlineData("odata.maxpagesize=3, return=representation", HttpStatusCode.Created, "return=representation")]
    public async Task The_first_return_preference_counts_as_RFC_7240_says(string prefer, HttpStatusCode status, string applied)
    {
        var client = Client(delegated: false);

        var response = await client.SendAsync(Post("notifications", prefer));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(applied, Single(response, "Preference-Applied"));
    }

    [Fact]
    public async Task Return_minimal_on_a_patch_is_a_204_that_names_the_notification()
    {
        var client = Client(delegated: true);
        string id = await client.CreateAsync("me/notifications");

        var response = await client.PatchAsync($"me/notifications/{id}", new JsonObject { ["groupName"] = "minimal" }, prefer: "return=minimal");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("return=minimal", Single(response, "Preference-Applied"));
        string canonical = $"http://localhost/v1.0/notifications('{id}')";
        Assert.Equal(canonical, response.Headers.Location!.AbsoluteUri);
        Assert.Equal(canonical, Single(response, "OData-EntityId"));
        Assert.Equal("W/\"2.1\"", response.Headers.ETag?.ToString());
        Assert.Equal("minimal", (await client.ReadNotificationAsync($"me/notifications/{id}"))["groupName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Return_representation_on_a_patch_is_a_200_with_the_notification()
    {
        var client = Client(delegated: false);
        string id = await client.CreateAsync("notifications");

        var response = await client.PatchAsync($"notifications('{id}')", new JsonObject { ["groupName"] = "shown" }, prefer: "return=representation");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("return=representation", Single(response, "Preference-Applied"));
        var body = await response.ReadObjectAsync();
        Assert.Equal("shown", body["groupName"]!.GetValue<string>());
        Assert.Equal("W/\"2\"", body["@odata.etag"]!.GetValue<string>());
        Assert.False(response.Headers.Contains("OData-EntityId"));
    }

    [Fact]
    public async Task A_patch_without_a_return_preference_stays_a_bare_204()
    {
        var client = Client(delegated: false);
        string id = await client.CreateAsync("notifications");

        var response = await client.PatchAsync($"notifications/{id}", new JsonObject { ["groupName"] = "plain" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(response.Headers.Contains("Preference-Applied"));
        Assert.False(response.Headers.Contains("OData-EntityId"));
        Assert.Null(response.Headers.Location);
        Assert.Equal("W/\"2\"", response.Headers.ETag?.ToString());
    }

    [Theory]
    [InlineData("return=representation")]
    [InlineData("return=minimal")]
    public async Task Ref_links_and_dismissals_stay_204_and_apply_no_return_preference(string prefer)
    {
        var client = Client(delegated: false);
        string id = await client.CreateAsync("notifications");
        var link = new HttpRequestMessage(HttpMethod.Post, "users/pref-ref/notifications/$ref")
        {
            Content = Bodies.Json(new JsonObject { ["@odata.id"] = $"notifications('{id}')" }),
        };
        link.Headers.Add("Prefer", prefer);
        var dismiss = new HttpRequestMessage(HttpMethod.Delete, $"users/pref-ref/notifications/{id}/$ref");
        dismiss.Headers.Add("Prefer", prefer);

        var linked = await client.SendAsync(link);
        var dismissed = await client.SendAsync(dismiss);

        Assert.Equal(HttpStatusCode.NoContent, linked.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, dismissed.StatusCode);
        Assert.False(linked.Headers.Contains("Preference-Applied"));
        Assert.False(dismissed.Headers.Contains("Preference-Applied"));
    }

    [Fact]
    public async Task A_page_size_preference_is_listed_with_a_return_preference_that_does_not_apply_to_a_read()
    {
        var client = Client(delegated: false);
        await client.CreateAsync("users/pref-page/notifications");
        await client.CreateAsync("users/pref-page/notifications");
        var request = new HttpRequestMessage(HttpMethod.Get, "users/pref-page/notifications");
        request.Headers.Add("Prefer", "return=minimal, odata.maxpagesize=1");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("odata.maxpagesize=1", Single(response, "Preference-Applied"));
        var page = await response.ReadObjectAsync();
        Assert.Single(page["value"]!.AsArray());
        Assert.NotNull(page["@odata.nextLink"]);
    }

    private HttpClient Client(bool delegated) =>
        delegated ? service.Delegated("pref-owner", "pref-app") : service.AppOnly("pref-app");

    private static HttpRequestMessage Post(string route, string? prefer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = Bodies.Json(Bodies.Minimal()) };
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }

        return request;
    }

    private static string Root(string route) => route.StartsWith("/beta/", StringComparison.Ordinal) ? "http://localhost/beta/" : "http://localhost/v1.0/";

    private static string Single(HttpResponseMessage response, string header) => Assert.Single(response.Headers.GetValues(header));
}

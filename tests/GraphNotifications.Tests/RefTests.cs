using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary><c>$ref</c> on <c>user/notifications</c>: linking a notification into feeds, and dismissing it from one.</summary>
public sealed class RefTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{

    [Fact]
    public async Task A_notification_is_linked_to_two_users_and_each_dismisses_it_alone()
    {
        var appA = service.AppOnly("ref-app-a");
        var appB = service.AppOnly("ref-app-b");
        string id = await appA.CreateAsync("notifications");
        string url = $"http://localhost/v1.0/notifications('{id}')";

        Assert.Equal(HttpStatusCode.NoContent, (await appA.PostAsync("users/ref-u1/notifications/$ref", Bodies.ReferenceTo(url))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await appA.PostAsync("users/ref-u2/notifications/$ref", Bodies.ReferenceTo($"notifications/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await appA.PostAsync("users/ref-u2/notifications/$ref", Bodies.ReferenceTo(url))).StatusCode);

        var refs = await (await appA.GetAsync("users/ref-u1/notifications/$ref")).ReadObjectAsync();
        Assert.Equal("http://localhost/v1.0/$metadata#Collection($ref)", refs["@odata.context"]!.GetValue<string>());
        Assert.Equal([url], refs["value"]!.AsArray().Select(r => r!["@odata.id"]!.GetValue<string>()));

        // Another app can neither link nor dismiss it: to that app it does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await appB.PostAsync("users/ref-u3/notifications/$ref", Bodies.ReferenceTo(url))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await appB.DeleteAsync($"users/ref-u2/notifications/{id}/$ref")).StatusCode);

        // ref-u1 dismisses it through /me; it stays in ref-u2's feed and in the entity set.
        var u1 = service.Delegated("ref-u1", "ref-app-a");
        Assert.Equal(HttpStatusCode.OK, (await u1.GetAsync($"me/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await u1.DeleteAsync($"me/notifications/{id}/$ref")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await u1.GetAsync($"me/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await u1.DeleteAsync($"me/notifications/{id}/$ref")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await appA.GetAsync($"users/ref-u2/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await appA.GetAsync($"notifications/{id}")).StatusCode);

        // ref-u2's link goes by the $id form.
        Assert.Equal(HttpStatusCode.NoContent, (await appA.DeleteAsync($"users/ref-u2/notifications/$ref?$id={Uri.EscapeDataString(url)}")).StatusCode);
        Assert.Empty((await (await appA.GetAsync("users/ref-u2/notifications")).ReadObjectAsync())["value"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await appA.GetAsync($"notifications('{id}')")).StatusCode);
    }

    [Theory]
    [InlineData("absolute-parens")]
    [InlineData("absolute-segment")]
    [InlineData("relative-parens")]
    [InlineData("root-relative")]
    [InlineData("beta")]
    [InlineData("through-a-feed")]
    public async Task Every_spelling_of_a_notifications_URL_links_it(string spelling)
    {
        var app = service.AppOnly("ref-spelling-app");
        string id = await app.CreateAsync("notifications");
        string reference = spelling switch
        {
            "absolute-parens" => $"http://localhost/v1.0/notifications('{id}')",
            "absolute-segment" => $"http://localhost/v1.0/notifications/{id}",
            "relative-parens" => $"notifications('{id}')",
            "root-relative" => $"/v1.0/notifications('{id}')",
            "beta" => $"http://localhost/beta/notifications('{id}')",
            _ => $"users('someone')/notifications('{id}')",
        };
        string user = "spelling-" + spelling;

        var response = await app.PostAsync($"users/{user}/notifications/$ref", Bodies.ReferenceTo(reference));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"users/{user}/notifications/{id}")).StatusCode);
    }

    [Fact]
    public async Task Posting_a_whole_notification_to_ref_is_a_400_that_says_where_it_belongs()
    {
        var client = service.Delegated("ref-seed-user", "ref-app-c");

        var response = await client.PostAsync("me/notifications/$ref", Bodies.CorrectedSeed());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string message = (await response.ReadObjectAsync()).ErrorMessage();
        Assert.Contains("@odata.id", message, StringComparison.Ordinal);
        Assert.Contains("POST it to …/notifications", message, StringComparison.Ordinal);
        Assert.Empty((await (await client.GetAsync("me/notifications")).ReadObjectAsync())["value"]!.AsArray());
    }

    [Theory]
    [InlineData("https://elsewhere.example/v1.0/notifications('x')")]
    [InlineData("http://localhost/v1.0/users('someone')")]
    [InlineData("http://localhost/v1.0/notifications")]
    [InlineData("http://localhost/other/notifications('x')")]
    [InlineData("users")]
    [InlineData("::not a url::")]
    public async Task An_odata_id_that_names_no_notification_of_this_service_is_a_400(string reference)
    {
        var app = service.AppOnly("ref-app-d");

        var response = await app.PostAsync("users/ref-u4/notifications/$ref", Bodies.ReferenceTo(reference));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["@odata.id"], (await response.ReadObjectAsync()).ErrorTargets());
    }

    [Fact]
    public async Task Linking_or_dismissing_a_notification_that_does_not_exist_is_a_404()
    {
        var app = service.AppOnly("ref-app-e");

        var link = await app.PostAsync("users/ref-u5/notifications/$ref", Bodies.ReferenceTo("notifications('00000000-0000-0000-0000-000000000000')"));
        var dismiss = await app.DeleteAsync("users/ref-u5/notifications/00000000-0000-0000-0000-000000000000/$ref");
        var byId = await app.DeleteAsync("users/ref-u5/notifications/$ref?$id=notifications('nothing')");

        Assert.Equal(HttpStatusCode.NotFound, link.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, dismiss.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byId.StatusCode);
    }

    [Fact]
    public async Task Dismissing_by_id_without_naming_one_is_a_400()
    {
        var response = await service.AppOnly("ref-app-f").DeleteAsync("users/ref-u6/notifications/$ref");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>
/// Who may PATCH and DELETE a notification: the app that created it, on any path; a delegated caller only in its
/// own feed. A notification the caller cannot see is a 404, never a 403; the feed rules (another user's feed, /me
/// for an app, the entity set for a user) answer as they do for reads.
/// </summary>
public sealed class ChangeAccessTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    private static readonly JsonObject Change = new() { ["groupName"] = "changed by someone" };

    public static TheoryData<string, string> Outsiders => new()
    {
        // Who calls, and the path it uses, for a notification that app "access-app" created in access-owner's feed.
        { "other-app", "notifications/{0}" },
        { "other-app", "users/access-owner/notifications/{0}" },
        { "other-app-user", "me/notifications/{0}" },
        { "app", "users/access-stranger/notifications/{0}" },
        { "stranger", "me/notifications/{0}" },
        { "stranger", "users/access-stranger/notifications/{0}" },
    };

    [Theory]
    [MemberData(nameof(Outsiders))]
    public async Task A_caller_that_cannot_see_the_notification_gets_a_404_and_changes_nothing(string who, string template)
    {
        var (app, id) = await CreateAsync();
        var client = Client(who);
        string url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id);

        var patch = await client.PatchAsync(url, Change);
        var delete = await client.DeleteAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.Equal("notFound", (await patch.ReadObjectAsync()).ErrorCode());
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        var read = await app.ReadNotificationAsync($"notifications/{id}");
        Assert.Equal("W/\"1\"", read["@odata.etag"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("owner", "users/access-stranger/notifications/{0}", HttpStatusCode.Forbidden)]
    [InlineData("owner", "notifications/{0}", HttpStatusCode.Forbidden)]
    [InlineData("app", "me/notifications/{0}", HttpStatusCode.BadRequest)]
    [InlineData("no-permission", "me/notifications/{0}", HttpStatusCode.Forbidden)]
    [InlineData("anonymous", "me/notifications/{0}", HttpStatusCode.Unauthorized)]
    public async Task The_feed_rules_apply_to_changes_as_to_reads(string who, string template, HttpStatusCode status)
    {
        var (app, id) = await CreateAsync();
        var client = Client(who);
        string url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id);

        Assert.Equal(status, (await client.PatchAsync(url, Change)).StatusCode);
        Assert.Equal(status, (await client.DeleteAsync(url)).StatusCode);
        Assert.Equal("W/\"1\"", (await app.ReadNotificationAsync($"notifications/{id}"))["@odata.etag"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("owner", "me/notifications/{0}")]
    [InlineData("owner", "users/access-owner/notifications/{0}")]
    [InlineData("app", "users/access-owner/notifications/{0}")]
    [InlineData("app", "notifications/{0}")]
    public async Task The_creating_app_and_the_user_whose_feed_holds_it_may_change_and_delete_it(string who, string template)
    {
        var (app, id) = await CreateAsync();
        var client = Client(who);
        string url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsync(url, Change)).StatusCode);
        Assert.Equal("changed by someone", (await app.ReadNotificationAsync($"notifications/{id}"))["groupName"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"notifications/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_user_can_change_a_notification_only_while_it_is_in_the_users_feed()
    {
        var (app, id) = await CreateAsync();
        var owner = Client("owner");
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"me/notifications/{id}/$ref")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await owner.PatchAsync($"me/notifications/{id}", Change)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"me/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"notifications/{id}")).StatusCode);
    }

    private async Task<(HttpClient App, string Id)> CreateAsync()
    {
        var app = service.AppOnly("access-app");
        return (app, await app.CreateAsync("users/access-owner/notifications"));
    }

    private HttpClient Client(string who) => who switch
    {
        "app" => service.AppOnly("access-app"),
        "owner" => service.Delegated("access-owner", "access-app"),
        "stranger" => service.Delegated("access-stranger", "access-app"),
        "other-app" => service.AppOnly("access-other-app"),
        "other-app-user" => service.Delegated("access-owner", "access-other-app"),
        "no-permission" => service.ClientWith(TestTokens.Delegated("access-owner", "access-app", scope: "User.Read")),
        "anonymous" => service.ClientWith(null),
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };
}

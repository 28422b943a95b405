using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests;

/// <summary>DELETE of a notification: it leaves the entity set and every feed it was in.</summary>
public sealed class DeletingTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task A_deleted_notification_leaves_every_feed_and_the_entity_set()
    {
        var app = service.AppOnly("delete-app-1");
        string id = await app.CreateAsync("users/delete-u1/notifications");
        string url = $"http://localhost/v1.0/notifications('{id}')";
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostAsync("users/delete-u2/notifications/$ref", new JsonObject { ["@odata.id"] = url })).StatusCode);
        string other = await app.CreateAsync("users/delete-u1/notifications");

        var response = await service.Delegated("delete-u1", "delete-app-1").DeleteAsync($"me/notifications/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        foreach (string path in new[] { $"notifications/{id}", $"users/delete-u1/notifications/{id}", $"users/delete-u2/notifications/{id}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync(path)).StatusCode);
        }

        Assert.Equal([other], await app.IdsAsync("users/delete-u1/notifications"));
        Assert.Empty(await app.IdsAsync("users/delete-u2/notifications"));
        Assert.DoesNotContain(id, await app.IdsAsync("notifications"));
        var refs = await (await app.GetAsync("users/delete-u2/notifications/$ref")).ReadObjectAsync();
        Assert.Empty(refs["value"]!.AsArray());
    }

    [Theory]
    [InlineData("me/notifications/{0}", true)]
    [InlineData("me/notifications('{0}')", true)]
    [InlineData("users/delete-paths/notifications/{0}", true)]
    [InlineData("/beta/me/notifications/{0}", true)]
    [InlineData("users/delete-paths/notifications/{0}", false)]
    [InlineData("users('delete-paths')/notifications('{0}')", false)]
    [InlineData("notifications/{0}", false)]
    [InlineData("notifications('{0}')", false)]
    [InlineData("/beta/notifications/{0}", false)]
    public async Task Every_path_to_a_notification_deletes_it(string template, bool delegated)
    {
        var app = service.AppOnly("delete-paths-app");
        string id = await app.CreateAsync("users/delete-paths/notifications");
        var client = delegated ? service.Delegated("delete-paths", "delete-paths-app") : app;

        var response = await client.DeleteAsync(string.Format(CultureInfo.InvariantCulture, template, id));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"notifications/{id}")).StatusCode);
    }

    [Fact]
    public async Task After_a_delete_the_notification_cannot_be_read_changed_deleted_or_linked()
    {
        var app = service.AppOnly("delete-app-2");
        string id = await app.CreateAsync("notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync($"notifications/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.PatchAsync($"notifications/{id}", new JsonObject { ["groupName"] = "x" })).StatusCode);
        var again = await app.DeleteAsync($"notifications/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("notFound", (await again.ReadObjectAsync()).ErrorCode());
        Assert.Equal(HttpStatusCode.NotFound,
            (await app.PostAsync("users/delete-u3/notifications/$ref", new JsonObject { ["@odata.id"] = $"notifications('{id}')" })).StatusCode);
    }

    [Fact]
    public async Task Dismissing_with_ref_leaves_the_notification_but_deleting_removes_it()
    {
        var app = service.AppOnly("delete-app-3");
        string id = await app.CreateAsync("users/delete-u4/notifications");
        var user = service.Delegated("delete-u4", "delete-app-3");

        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync($"me/notifications/{id}/$ref")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync($"notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"notifications/{id}")).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_notification_that_does_not_exist_is_a_404()
    {
        var client = service.Delegated("delete-missing", "delete-app-4");

        var response = await client.DeleteAsync("me/notifications/00000000-0000-0000-0000-000000000000");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("notFound", (await response.ReadObjectAsync()).ErrorCode());
    }
}

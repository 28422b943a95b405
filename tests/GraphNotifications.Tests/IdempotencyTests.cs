using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.Idempotency;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests;

/// <summary>
/// <c>Idempotency-Key</c> on creates, on a real SQLite store: a retry is answered as the first request was and
/// creates nothing; a key is the caller's own (tenant, app, user) and survives a restart.
/// </summary>
public sealed class IdempotencyTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>
{
    [Theory]
    [InlineData("me/notifications")]
    [InlineData("users/idem-user-1/notifications")]
    public async Task A_retry_with_the_same_key_and_body_replays_the_first_answer_and_creates_once(string url)
    {
        var client = service.Delegated("idem-user-1", "idem-app-1" + url.Length);
        var body = Bodies.Minimal("Retry me");

        var first = await PostWithKeyAsync(client, url, body, "key-1");
        var retry = await PostWithKeyAsync(client, url, body, "key-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(first.Content.Headers.ContentType, retry.Content.Headers.ContentType);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await CountAsync(service, "idem-app-1" + url.Length));
    }

    [Fact]
    public async Task The_entity_set_replays_too()
    {
        var app = service.AppOnly("idem-app-set");

        string first = await IdOfAsync(await PostWithKeyAsync(app, "notifications", Bodies.Minimal(), "set-key"));
        string retry = await IdOfAsync(await PostWithKeyAsync(app, "notifications", Bodies.Minimal(), "set-key"));

        Assert.Equal(first, retry);
        Assert.Equal(1, await CountAsync(service, "idem-app-set"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_422_that_creates_nothing()
    {
        var client = service.Delegated("idem-user-2", "idem-app-2");
        await IdOfAsync(await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal("First"), "key-2"));

        var reused = await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal("Second"), "key-2");
        var elsewhere = await PostWithKeyAsync(client, "users/idem-user-2/notifications", Bodies.Minimal("First"), "key-2");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("unprocessableEntity", (await reused.ReadObjectAsync()).ErrorCode());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, elsewhere.StatusCode);
        Assert.Equal(1, await CountAsync(service, "idem-app-2"));
    }

    [Fact]
    public async Task Keys_belong_to_the_app_and_the_user_that_sent_them()
    {
        var body = Bodies.Minimal("Shared key");
        string ofApp1 = await IdOfAsync(await PostWithKeyAsync(service.Delegated("idem-user-3", "idem-app-3a"), "me/notifications", body, "shared"));
        string ofApp2 = await IdOfAsync(await PostWithKeyAsync(service.Delegated("idem-user-3", "idem-app-3b"), "me/notifications", body, "shared"));
        string ofOtherUser = await IdOfAsync(await PostWithKeyAsync(service.Delegated("idem-user-3x", "idem-app-3a"), "me/notifications", body, "shared"));
        string ofTheApp = await IdOfAsync(await PostWithKeyAsync(service.AppOnly("idem-app-3a"), "users/idem-user-3/notifications", body, "shared"));

        Assert.Equal(4, new[] { ofApp1, ofApp2, ofOtherUser, ofTheApp }.Distinct().Count());
        Assert.Equal(1, await CountAsync(service, "idem-app-3b"));
        Assert.Equal(3, await CountAsync(service, "idem-app-3a"));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_create_exactly_one_notification()
    {
        var client = service.Delegated("idem-user-4", "idem-app-4");
        var body = Bodies.Minimal("Raced");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostWithKeyAsync(client, "me/notifications", body, "raced-key")));

        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var ids = new HashSet<string>();
        foreach (var created in answers.Where(a => a.StatusCode == HttpStatusCode.Created))
        {
            ids.Add(await IdOfAsync(created));
        }

        Assert.Single(ids);
        Assert.Equal(1, await CountAsync(service, "idem-app-4"));
        string retried = await IdOfAsync(await PostWithKeyAsync(client, "me/notifications", body, "raced-key"));
        Assert.Equal(ids.Single(), retried);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData(" ")]
    [InlineData("has space")]
    [InlineData("\"unterminated")]
    [InlineData("\"bad\\escape\"")]
    public async Task A_malformed_key_is_a_400_that_creates_nothing(string key)
    {
        var client = service.Delegated("idem-user-5", "idem-app-5" + key.Length);

        var response = await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal(), key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["Idempotency-Key"], (await response.ReadObjectAsync()).ErrorTargets());
        Assert.Equal(0, await CountAsync(service, "idem-app-5" + key.Length));
    }

    [Fact]
    public async Task A_key_of_255_characters_is_accepted_and_one_of_256_is_not()
    {
        var client = service.Delegated("idem-user-6", "idem-app-6");

        Assert.Equal(HttpStatusCode.Created, (await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal(), new string('k', 255))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal(), new string('k', 256))).StatusCode);
        // The draft's structured-field form names the same key as the bare one.
        Assert.Equal(HttpStatusCode.Created, (await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal(), "\"quoted\"")).StatusCode);
        var bare = await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal(), "quoted");
        Assert.True(bare.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task A_failed_request_is_not_remembered_and_its_retry_is_judged_afresh()
    {
        var client = service.Delegated("idem-user-7", "idem-app-7");
        var invalid = Bodies.Minimal();
        invalid["priority"] = "Urgent";

        Assert.Equal(HttpStatusCode.BadRequest, (await PostWithKeyAsync(client, "me/notifications", invalid, "key-7")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal(), "key-7")).StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_with_a_key_too()
    {
        var client = service.Delegated("idem-user-13", "idem-app-13");
        var body = Bodies.Minimal();
        body["padding"] = new string('x', 70 * 1024);
        var request = new HttpRequestMessage(HttpMethod.Post, "me/notifications") { Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()))) };
        // No Content-Length: the limit is met while the body is read, by the filter that fingerprints it.
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "big-key");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payloadTooLarge", (await response.ReadObjectAsync()).ErrorCode());
        Assert.Equal(0, await CountAsync(service, "idem-app-13"));
    }

    [Fact]
    public async Task Linking_with_a_key_replays_its_204()
    {
        var app = service.AppOnly("idem-app-8");
        string id = await app.CreateAsync("notifications");
        var link = new JsonObject { ["@odata.id"] = $"notifications('{id}')" };

        var first = await PostWithKeyAsync(app, "users/idem-user-8/notifications/$ref", link, "link-key");
        var retry = await PostWithKeyAsync(app, "users/idem-user-8/notifications/$ref", link, "link-key");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task A_key_survives_a_restart_of_the_service()
    {
        string folder = Directory.CreateTempSubdirectory("graphnotifications-idem-").FullName;
        string database = Path.Combine(folder, "notifications.db");
        var body = Bodies.Minimal("Before the restart");
        string first;
        using (var before = new SqliteFileFactory(database))
        {
            first = await IdOfAsync(await PostWithKeyAsync(before.Delegated("idem-user-9", "idem-app-9"), "me/notifications", body, "durable-key"));
        }

        using var after = new SqliteFileFactory(database);
        var client = after.Delegated("idem-user-9", "idem-app-9");
        var retry = await PostWithKeyAsync(client, "me/notifications", body, "durable-key");
        var reused = await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal("Other"), "durable-key");

        Assert.Equal(first, await IdOfAsync(retry));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal(1, await CountAsync(after, "idem-app-9"));
    }

    [Fact]
    public async Task A_retry_while_the_first_request_runs_is_a_409()
    {
        using var store = new InMemoryStoreFactory();
        var client = store.Delegated("idem-user-10", "idem-app-10");
        // The first create waits at the store's door until a second writer comes.
        store.Gate.Arm(2);
        var first = PostWithKeyAsync(client, "me/notifications", Bodies.Minimal(), "slow-key");
        while (store.Gate.Held == 0)
        {
            await Task.Delay(10);
        }

        var duringFirst = await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal(), "slow-key");
        await client.CreateAsync("me/notifications");

        Assert.Equal(HttpStatusCode.Conflict, duringFirst.StatusCode);
        Assert.Equal("conflict", (await duringFirst.ReadObjectAsync()).ErrorCode());
        string created = await IdOfAsync(await first);
        Assert.Equal(created, await IdOfAsync(await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal(), "slow-key")));
    }

    [Fact]
    public async Task A_key_is_forgotten_after_its_lifetime_and_swept()
    {
        using var store = new SqliteStoreFactory();
        var client = store.Delegated("idem-user-11", "idem-app-11");
        string first = await IdOfAsync(await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal(), "old-key"));
        await IdOfAsync(await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal(), "older-key"));

        store.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        string again = await IdOfAsync(await PostWithKeyAsync(client, "me/notifications", Bodies.Minimal(), "old-key"));
        // The background sweeper may run as the clock moves; either way, one sweep leaves only the live key.
        await store.Services.GetRequiredService<IdempotencySweeper>().SweepOnceAsync(CancellationToken.None);

        Assert.NotEqual(first, again);
        var left = await store.InStoreAsync(db => db.Set<IdempotencyRecord>().Where(r => r.AppId == "idem-app-11").Select(r => r.Key).ToListAsync());
        Assert.Equal(["old-key"], left);
    }

    [Fact]
    public async Task The_same_appNotificationId_does_not_deduplicate()
    {
        var client = service.Delegated("idem-user-12", "idem-app-12");
        var body = Bodies.Minimal();
        body["appNotificationId"] = "order-4711-shipped";

        string first = await client.CreateAsync("me/notifications", body);
        string second = await client.CreateAsync("me/notifications", body.DeepClone());

        Assert.NotEqual(first, second);
        Assert.Equal(2, await CountAsync(service, "idem-app-12"));
    }

    private static Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, string url, JsonNode body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Bodies.Json(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private static async Task<string> IdOfAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    private static async Task<int> CountAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, string appId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return await db.Notifications.CountAsync(n => EF.Property<string>(n, StorageColumns.AppId) == appId);
    }

    /// <summary>The service on a SQLite file the test names, so that a second instance can open it after the first.</summary>
    private sealed class SqliteFileFactory(string path) : ServiceFactoryBase
    {
        protected override void ConfigureStore(IWebHostBuilder builder)
        {
            builder.UseSetting("Storage:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:Notifications", $"Data Source={path}");
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }
}

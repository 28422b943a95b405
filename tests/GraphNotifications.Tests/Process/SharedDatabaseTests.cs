using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// Service processes on one PostgreSQL database are one service: what one instance answered, every other one serves,
/// so the instances can stand behind any load balancer, without affinity. Each step goes through the instance a
/// balancer might have picked, alternating.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class SharedDatabaseTests : IClassFixture<PostgresTestDatabase>
{
    /// <summary>The host clients name, as behind a load balancer: every instance builds its URLs from it.</summary>
    private const string PublicHost = "notifications.graphnotifications.test";

    private readonly PostgresTestDatabase _database;

    public SharedDatabaseTests(PostgresTestDatabase database)
    {
        database.SkipUnlessAvailable();
        _database = database;
    }

    [SkippableFact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task Two_instances_on_one_database_serve_one_feed_created_linked_dismissed_patched_paged_and_deleted_through_either()
    {
        // Both start at once on the empty database: one applies the migrations while the other waits on EF Core's
        // migrations lock, then finds the schema current.
        var processes = await ServiceProcess.StartInstancesOnPostgresAsync(_database.ConnectionString, 2);
        await using var firstProcess = processes[0];
        await using var secondProcess = processes[1];
        const string app = "shared-app", alice = "shared-alice", bob = "shared-bob";
        using var first = new Instance(firstProcess, app);
        using var second = new Instance(secondProcess, app);

        // Created through the first, into alice's feed.
        var body = Bodies.CorrectedSeed();
        body["appNotificationId"] = "shared-1";
        var response = await first.SendAsync(HttpMethod.Post, $"users/{alice}/notifications", HttpStatusCode.Created, body);
        var created = await response.ReadObjectAsync();
        string id = created["id"]!.GetValue<string>();
        string url = response.Headers.Location!.ToString();
        Assert.Equal($"http://{PublicHost}/v1.0/notifications('{id}')", url);

        // Alice's feed through the second: the same notification, every property equal.
        var feed = await (await second.SendAsync(HttpMethod.Get, $"users/{alice}/notifications", HttpStatusCode.OK)).ReadObjectAsync();
        ServiceProcessAssertions.AssertSameProperties(created, Assert.Single(feed["value"]!.AsArray())!);

        // Linked into bob's feed through the second, by the URL the first answered; bob's feed through the first.
        await second.SendAsync(HttpMethod.Post, $"users/{bob}/notifications/$ref", HttpStatusCode.NoContent, new JsonObject { ["@odata.id"] = url });
        Assert.Equal([id], await first.FeedIdsAsync(bob));
        Assert.Equal([url], await first.RefsAsync(bob));

        // Dismissed from alice's feed through the second: gone for alice through the first, kept for bob and in the set.
        await second.SendAsync(HttpMethod.Delete, $"users/{alice}/notifications/{id}/$ref", HttpStatusCode.NoContent);
        Assert.Empty(await first.FeedIdsAsync(alice));
        await first.SendAsync(HttpMethod.Get, $"users/{alice}/notifications/{id}", HttpStatusCode.NotFound);
        Assert.Equal([id], await second.FeedIdsAsync(bob));
        await first.SendAsync(HttpMethod.Get, $"notifications/{id}", HttpStatusCode.OK);

        // Patched through the first with its ETag; the new ETag and value read through the second; the stale ETag
        // refused through the second (412), so no update is lost between instances.
        string etag = created["@odata.etag"]!.GetValue<string>();
        await first.SendAsync(HttpMethod.Patch, $"notifications/{id}", HttpStatusCode.NoContent, new JsonObject { ["groupName"] = "patched" },
            headers => headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag)));
        var patched = await (await second.SendAsync(HttpMethod.Get, $"notifications/{id}", HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal("patched", patched["groupName"]!.GetValue<string>());
        Assert.NotEqual(etag, patched["@odata.etag"]!.GetValue<string>());
        await second.SendAsync(HttpMethod.Patch, $"notifications/{id}", HttpStatusCode.PreconditionFailed, new JsonObject { ["groupName"] = "lost" },
            headers => headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag)));

        // A feed paged across both: each next link, issued by one instance, followed through the other.
        var more = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            more.Add((await (await first.SendAsync(HttpMethod.Post, $"users/{bob}/notifications", HttpStatusCode.Created, Bodies.Minimal($"more {i}"))).ReadObjectAsync())["id"]!.GetValue<string>());
        }

        var paged = new List<string>();
        string? next = $"users/{bob}/notifications?$select=id";
        for (int page = 0; next is not null; page++)
        {
            var instance = page % 2 == 0 ? second : first;
            var answer = await (await instance.SendAsync(HttpMethod.Get, next, HttpStatusCode.OK, headers: h => h.Add("Prefer", "odata.maxpagesize=2"))).ReadObjectAsync();
            paged.AddRange(answer["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
            // The link names the public host; the test reaches the instances directly, by the link's path.
            next = answer["@odata.nextLink"] is { } link ? new Uri(link.GetValue<string>()).PathAndQuery : null;
        }

        Assert.Equal(Enumerable.Reverse(more).Append(id), paged);

        // Deleted through the second: gone through the first, from the set and from bob's feed.
        await second.SendAsync(HttpMethod.Delete, $"notifications/{id}", HttpStatusCode.NoContent,
            headers: h => h.IfMatch.Add(EntityTagHeaderValue.Parse(patched["@odata.etag"]!.GetValue<string>())));
        await first.SendAsync(HttpMethod.Get, $"notifications/{id}", HttpStatusCode.NotFound);
        Assert.DoesNotContain(id, await first.FeedIdsAsync(bob));
    }

    /// <summary>One instance as an app's back end sees it: requests to the public host, checked for their status.</summary>
    private sealed class Instance(ServiceProcess process, string appId) : IDisposable
    {
        private readonly HttpClient _client = WithPublicHost(process.AppOnly(appId));

        /// <summary>Sends a request and fails the test, with the service's output, unless it answers <paramref name="expected"/>.</summary>
        public async Task<HttpResponseMessage> SendAsync(
            HttpMethod method, string url, HttpStatusCode expected, JsonNode? body = null, Action<HttpRequestHeaders>? headers = null)
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : Bodies.Json(body) };
            headers?.Invoke(request.Headers);
            var response = await _client.SendAsync(request);
            await process.AssertStatusAsync(expected, response);
            return response;
        }

        public async Task<string[]> FeedIdsAsync(string user) =>
            [.. (await ReadAsync($"users/{user}/notifications"))["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>())];

        public async Task<string[]> RefsAsync(string user) =>
            [.. (await ReadAsync($"users/{user}/notifications/$ref"))["value"]!.AsArray().Select(r => r!["@odata.id"]!.GetValue<string>())];

        public void Dispose() => _client.Dispose();

        private async Task<JsonObject> ReadAsync(string url) => await (await SendAsync(HttpMethod.Get, url, HttpStatusCode.OK)).ReadObjectAsync();

        private static HttpClient WithPublicHost(HttpClient client)
        {
            client.DefaultRequestHeaders.Host = PublicHost;
            return client;
        }
    }
}

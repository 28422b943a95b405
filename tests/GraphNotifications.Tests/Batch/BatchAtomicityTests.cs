using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using static GraphNotifications.Tests.Batch.BatchRequests;

namespace GraphNotifications.Tests.Batch;

/// <summary>
/// <c>atomicityGroup</c>: every write of a group commits in one transaction, or none does, on each store with
/// transactions: SQLite (<see cref="SqliteBatchAtomicityTests"/>) and PostgreSQL
/// (<see cref="PostgresBatchAtomicityTests"/>). Each test uses its own app and users.
/// </summary>
public abstract class BatchAtomicityTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{

    [SkippableFact]
    public async Task A_failing_request_leaves_no_write_of_its_group_behind()
    {
        var app = service.AppOnly("atomic-rollback-app");
        string existing = await app.CreateAsync("notifications");
        var invalid = new JsonObject { ["targetHostName"] = "x", ["payload"] = new JsonObject() };

        var responses = await app.BatchAsync(
            Request("create", "POST", "users/atomic-rollback-u1/notifications", Bodies.Minimal("never stored"), atomicityGroup: "g"),
            Request("link", "POST", "users/atomic-rollback-u2/notifications/$ref", Bodies.Reference(existing), atomicityGroup: "g"),
            Request("patch", "PATCH", $"notifications/{existing}", new JsonObject { ["groupName"] = "never stored" }, atomicityGroup: "g"),
            Request("invalid", "POST", "users/atomic-rollback-u3/notifications", invalid, atomicityGroup: "g"),
            Request("after", "GET", "users/atomic-rollback-u2/notifications", dependsOn: ["g"]));

        Assert.Equal(400, responses["invalid"].Status());
        foreach (string id in new[] { "create", "link", "patch", "after" })
        {
            Assert.Equal(424, responses[id].Status());
            Assert.Equal("failedDependency", responses[id].Body()["error"]!["code"]!.GetValue<string>());
        }

        Assert.Equal(0, await app.CountAsync("users/atomic-rollback-u1/notifications"));
        Assert.Equal(0, await app.CountAsync("users/atomic-rollback-u2/notifications/$ref"));
        Assert.Equal(0, await app.CountAsync("users/atomic-rollback-u3/notifications"));
        var unchanged = await app.ReadNotificationAsync($"notifications/{existing}");
        Assert.Null(unchanged["groupName"]);
        Assert.Equal("W/\"1\"", unchanged["@odata.etag"]!.GetValue<string>());
        Assert.Equal(1, await app.CountAsync("notifications"));
    }

    [SkippableFact]
    public async Task A_group_whose_requests_all_succeed_commits_every_write()
    {
        var app = service.AppOnly("atomic-commit-app");
        string existing = await app.CreateAsync("notifications");

        var responses = await app.BatchAsync(
            Request("create", "POST", "users/atomic-commit-u1/notifications", Bodies.Minimal("stored"), atomicityGroup: "g"),
            Request("link", "POST", "users/atomic-commit-u2/notifications/$ref", Bodies.Reference(existing), atomicityGroup: "g"),
            Request("read", "GET", "users/atomic-commit-u2/notifications", dependsOn: ["link"], atomicityGroup: "g"),
            Request("patch", "PATCH", $"notifications/{existing}", new JsonObject { ["groupName"] = "stored" }, atomicityGroup: "g"));

        Assert.Equal([201, 204, 200, 204], responses.Values.Select(r => r.Status()));
        // Inside the group, a request sees the group's earlier writes.
        Assert.Single(responses["read"].Body()["value"]!.AsArray());
        Assert.Equal(1, await app.CountAsync("users/atomic-commit-u1/notifications"));
        Assert.Equal(1, await app.CountAsync("users/atomic-commit-u2/notifications"));
        Assert.Equal("stored", (await app.ReadNotificationAsync($"notifications/{existing}"))["groupName"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Requests_outside_a_failed_group_keep_their_writes()
    {
        var app = service.AppOnly("atomic-outside-app");

        var responses = await app.BatchAsync(
            Request("before", "POST", "users/atomic-outside-u1/notifications", Bodies.Minimal()),
            Request("in", "POST", "users/atomic-outside-u2/notifications", Bodies.Minimal(), atomicityGroup: "g"),
            Request("failing", "DELETE", "notifications/no-such-notification", atomicityGroup: "g"),
            Request("independent", "POST", "users/atomic-outside-u3/notifications", Bodies.Minimal()));

        Assert.Equal([201, 424, 404, 201], responses.Values.Select(r => r.Status()));
        Assert.Equal(1, await app.CountAsync("users/atomic-outside-u1/notifications"));
        Assert.Equal(0, await app.CountAsync("users/atomic-outside-u2/notifications"));
        Assert.Equal(1, await app.CountAsync("users/atomic-outside-u3/notifications"));
    }

    [SkippableFact]
    public async Task The_store_serves_requests_as_before_after_groups_committed_and_rolled_back()
    {
        var app = service.AppOnly("atomic-after-app");
        for (int round = 0; round < 3; round++)
        {
            await app.BatchAsync(
                Request("a", "POST", "users/atomic-after-u1/notifications", Bodies.Minimal(), atomicityGroup: "ok"),
                Request("b", "POST", "users/atomic-after-u1/notifications", Bodies.Minimal(), atomicityGroup: "ok"),
                Request("c", "POST", "users/atomic-after-u2/notifications", Bodies.Minimal(), atomicityGroup: "failing"),
                Request("d", "GET", "notifications/no-such-notification", atomicityGroup: "failing"));
        }

        // The contexts the groups used are back in the pool with their own connections: direct requests work on them.
        for (int i = 0; i < 10; i++)
        {
            await app.CreateAsync("users/atomic-after-u3/notifications");
        }

        Assert.Equal(6, await app.CountAsync("users/atomic-after-u1/notifications"));
        Assert.Equal(0, await app.CountAsync("users/atomic-after-u2/notifications"));
        Assert.Equal(10, await app.CountAsync("users/atomic-after-u3/notifications"));
    }
}

/// <summary>Atomicity groups on SQLite, in a temporary file.</summary>
public sealed class SqliteBatchAtomicityTests(SqliteServiceFactory service) : BatchAtomicityTests<SqliteServiceFactory>(service);

/// <summary>Atomicity groups on PostgreSQL; skipped where no server is configured (failed under CI).</summary>
public sealed class PostgresBatchAtomicityTests : BatchAtomicityTests<PostgresServiceFactory>
{
    public PostgresBatchAtomicityTests(PostgresServiceFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();
}

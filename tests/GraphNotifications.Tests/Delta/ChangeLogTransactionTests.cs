using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GraphNotifications.Tests.Batch.BatchRequests;

namespace GraphNotifications.Tests.Delta;

/// <summary>The log inside a batch's atomicity group on SQLite.</summary>
public sealed class SqliteChangeLogTransactionTests(SqliteServiceFactory service) : ChangeLogTransactionTests<SqliteServiceFactory>(service);

/// <summary>The log inside a batch's atomicity group on PostgreSQL; skipped where no server is configured.</summary>
public sealed class PostgresChangeLogTransactionTests : ChangeLogTransactionTests<PostgresServiceFactory>
{
    public PostgresChangeLogTransactionTests(PostgresServiceFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();
}

/// <summary>
/// Entries are written in the change's own transaction: an atomicity group that rolls back leaves none of its
/// entries, one that commits leaves all of them.
/// </summary>
public abstract class ChangeLogTransactionTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{
    [SkippableFact]
    public async Task A_rolled_back_atomicity_group_leaves_no_entry_and_a_committed_one_leaves_each()
    {
        var app = service.AppOnly("changelog-tx-app");
        string existing = await app.CreateAsync("notifications");
        var invalid = new JsonObject { ["targetHostName"] = "x", ["payload"] = new JsonObject() };

        var failed = await app.BatchAsync(
            Request("create", "POST", "users/changelog-tx-u1/notifications", Bodies.Minimal(), atomicityGroup: "g"),
            Request("link", "POST", "users/changelog-tx-u2/notifications/$ref", Reference(existing), atomicityGroup: "g"),
            Request("patch", "PATCH", $"notifications/{existing}", new JsonObject { ["groupName"] = "never" }, atomicityGroup: "g"),
            Request("invalid", "POST", "users/changelog-tx-u3/notifications", invalid, atomicityGroup: "g"));
        Assert.Equal([424, 424, 424, 400], failed.Values.Select(r => r.Status()));
        Assert.Equal(0, await EntryCountAsync());

        var committed = await app.BatchAsync(
            Request("create", "POST", "users/changelog-tx-u1/notifications", Bodies.Minimal(), atomicityGroup: "g"),
            Request("link", "POST", "users/changelog-tx-u2/notifications/$ref", Reference(existing), atomicityGroup: "g"),
            Request("patch", "PATCH", $"notifications/{existing}", new JsonObject { ["groupName"] = "kept" }, atomicityGroup: "g"));
        Assert.Equal([201, 204, 204], committed.Values.Select(r => r.Status()));
        Assert.Equal(3, await EntryCountAsync());
    }

    private static JsonObject Reference(string id) => new() { ["@odata.id"] = $"notifications('{id}')" };

    private async Task<int> EntryCountAsync()
    {
        await using var scope = service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return await db.ChangeLog.CountAsync(e => e.AppId == "changelog-tx-app");
    }
}

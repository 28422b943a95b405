using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
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
/// entries, one that commits leaves all of them; and they become visible in sequence order, so a reader that
/// follows the log by position while writers commit concurrently misses none.
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
            Request("link", "POST", "users/changelog-tx-u2/notifications/$ref", Bodies.Reference(existing), atomicityGroup: "g"),
            Request("patch", "PATCH", $"notifications/{existing}", new JsonObject { ["groupName"] = "never" }, atomicityGroup: "g"),
            Request("invalid", "POST", "users/changelog-tx-u3/notifications", invalid, atomicityGroup: "g"));
        Assert.Equal([424, 424, 424, 400], failed.Values.Select(r => r.Status()));
        Assert.Equal(0, await EntryCountAsync());

        var committed = await app.BatchAsync(
            Request("create", "POST", "users/changelog-tx-u1/notifications", Bodies.Minimal(), atomicityGroup: "g"),
            Request("link", "POST", "users/changelog-tx-u2/notifications/$ref", Bodies.Reference(existing), atomicityGroup: "g"),
            Request("patch", "PATCH", $"notifications/{existing}", new JsonObject { ["groupName"] = "kept" }, atomicityGroup: "g"));
        Assert.Equal([201, 204, 204], committed.Values.Select(r => r.Status()));
        Assert.Equal(3, await EntryCountAsync());
    }

    [SkippableFact]
    public async Task A_reader_that_follows_the_log_while_writers_commit_concurrently_misses_no_entry()
    {
        var app = service.AppOnly("changelog-order-app");
        var writing = Task.WhenAll(Enumerable.Range(0, 40).Select(i => app.CreateAsync($"users/changelog-order-u{i % 5}/notifications")));
        var seen = new List<ChangeLogEntry>();
        var last = ChangeLogPosition.Start;
        bool done;
        do
        {
            done = writing.IsCompleted;
            await using var scope = service.Services.CreateAsyncScope();
            var read = await scope.ServiceProvider.GetRequiredService<ChangeLogReader>().ChangesAsync(last, 1000, CancellationToken.None);
            seen.AddRange(read);
            last = read.Count > 0 ? read[^1].Position : last;
        }
        while (!done);
        await writing;

        var all = (await service.ChangeLogOfAsync("changelog-order-app")).Select(e => e.Position).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(all, seen.Where(e => e.AppId == "changelog-order-app").Select(e => e.Position));
    }


    private async Task<int> EntryCountAsync() => (await service.ChangeLogOfAsync("changelog-tx-app")).Count;
}

using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Api.Storage.GroupCommit;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Storage;

/// <summary>
/// On SQLite's one writer a create's change-log entry commits in the group that holds the create: every
/// group-committed create into a feed is logged once, and a write the store refuses takes its entry with it.
/// </summary>
public sealed class GroupCommitChangeLogTests(SqliteStoreFactory service) : IClassFixture<SqliteStoreFactory>
{
    private const string AppId = "group-commit-log-app";

    [Fact]
    public async Task Concurrent_creates_into_feeds_are_each_logged_once()
    {
        var client = service.AppOnly(AppId);
        var ids = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => client.CreateAsync($"users/group-log-u{i % 3}/notifications")));

        var entries = await EntriesAsync(e => ids.Contains(e.NotificationId));
        Assert.Equal(ids.Order(), entries.Select(e => e.NotificationId).Order());
        Assert.All(entries, e => Assert.Equal(FeedChangeType.Created, e.ChangeType));
        Assert.All(entries, e => Assert.Equal($"group-log-u{Array.IndexOf(ids, e.NotificationId) % 3}", e.UserId));
    }

    [Fact]
    public async Task A_refused_write_in_a_group_leaves_no_entry_and_the_others_leave_theirs()
    {
        var groups = service.Services.GetRequiredService<SqliteWriteGroups>();
        string taken = Guid.NewGuid().ToString();
        await groups.WriteGroupedAsync(db => Stage(db, taken, "group-refused-first"));

        string[] fresh = [Guid.NewGuid().ToString(), Guid.NewGuid().ToString()];
        var first = groups.WriteGroupedAsync(db => Stage(db, fresh[0], "group-refused-before"));
        var duplicate = groups.WriteGroupedAsync(db => Stage(db, taken, "group-refused-duplicate"));
        var last = groups.WriteGroupedAsync(db => Stage(db, fresh[1], "group-refused-after"));

        await first;
        await last;
        await Assert.ThrowsAsync<DbUpdateException>(() => duplicate);
        var entries = await EntriesAsync(e => e.UserId.StartsWith("group-refused-"));
        Assert.Equal(
            [("group-refused-after", fresh[1]), ("group-refused-before", fresh[0]), ("group-refused-first", taken)],
            entries.Select(e => (e.UserId, e.NotificationId)).Order());
    }

    /// <summary>What a create into a feed stages on the writer: the notification and its entry, nothing else.</summary>
    private static void Stage(NotificationsDbContext db, string id, string userId)
    {
        var entry = db.Notifications.Add(new Notification
        {
            Id = id,
            TargetHostName = "group-commit.contoso.com",
            Payload = new() { RawContent = "{}" },
            ExpirationDateTime = DateTimeOffset.UtcNow.AddDays(1),
            CreatedAt = DateTimeOffset.UtcNow.UtcTicks,
            Version = 1,
        });
        entry.Property(StorageColumns.TenantId).CurrentValue = "default";
        entry.Property(StorageColumns.AppId).CurrentValue = AppId;
        db.ChangeLog.Add(new ChangeLogEntry
        {
            TenantId = "default",
            AppId = AppId,
            UserId = userId,
            NotificationId = id,
            ChangeType = FeedChangeType.Created,
            OccurredAt = DateTimeOffset.UtcNow.UtcTicks,
        });
    }

    private Task<List<ChangeLogEntry>> EntriesAsync(System.Linq.Expressions.Expression<Func<ChangeLogEntry, bool>> which) =>
        service.ChangeLogOfAsync(AppId, which);
}

using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.GroupCommit;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Storage;

/// <summary>
/// SQLite's one writer commits the creates waiting together in one transaction: a create the store refuses fails
/// alone, and the others in its group are stored.
/// </summary>
public sealed class GroupCommitTests(SqliteStoreFactory service) : IClassFixture<SqliteStoreFactory>
{
    [Fact]
    public async Task A_refused_write_in_a_group_fails_alone_and_the_others_are_stored()
    {
        var groups = service.Services.GetRequiredService<SqliteWriteGroups>();
        string taken = Guid.NewGuid().ToString();
        await groups.WriteGroupedAsync(db => Stage(db, taken));

        string[] fresh = [Guid.NewGuid().ToString(), Guid.NewGuid().ToString()];
        var first = groups.WriteGroupedAsync(db => Stage(db, fresh[0]));
        var duplicate = groups.WriteGroupedAsync(db => Stage(db, taken));
        var last = groups.WriteGroupedAsync(db => Stage(db, fresh[1]));

        await first;
        await last;
        await Assert.ThrowsAsync<DbUpdateException>(() => duplicate);
        Assert.Equal(3, await service.InStoreAsync(db => db.Notifications.CountAsync(n => n.Id == taken || fresh.Contains(n.Id))));
    }

    [Fact]
    public async Task Concurrent_creates_through_the_api_are_all_stored()
    {
        var client = service.Delegated("group-commit-user", "group-commit-app");
        var ids = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => client.CreateAsync("me/notifications")));

        Assert.Equal(24, ids.Distinct().Count());
        foreach (string id in ids)
        {
            var read = await client.ReadNotificationAsync($"me/notifications/{id}");
            Assert.Equal(id, read["id"]!.GetValue<string>());
        }
    }

    private static void Stage(NotificationsDbContext db, string id)
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
        entry.Property(StorageColumns.TenantId).CurrentValue = "group-commit-tenant";
        entry.Property(StorageColumns.AppId).CurrentValue = "group-commit-app";
    }
}

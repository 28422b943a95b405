using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Delta;

/// <summary>Retention on a SQLite file.</summary>
public sealed class SqliteChangeLogRetentionTests(SqliteStoreFactory service) : ChangeLogRetentionTests<SqliteStoreFactory>(service), IClassFixture<SqliteStoreFactory>;

/// <summary>Retention on the in-memory store.</summary>
public sealed class InMemoryChangeLogRetentionTests(InMemoryStoreFactory service) : ChangeLogRetentionTests<InMemoryStoreFactory>(service), IClassFixture<InMemoryStoreFactory>;

/// <summary>The sweeper deletes entries older than <c>ChangeLog:Retention</c> (7 days by default) and keeps the rest.</summary>
public abstract class ChangeLogRetentionTests<TFactory>(TFactory service) where TFactory : StoreServiceFactory
{
    [Fact]
    public async Task Entries_past_the_retention_are_swept_and_newer_ones_stay()
    {
        var app = service.AppOnly("changelog-retention-app");
        string old = await app.CreateAsync("users/changelog-retention-u1/notifications");
        service.Clock.Advance(TimeSpan.FromDays(6));
        string recent = await app.CreateAsync("users/changelog-retention-u1/notifications");
        service.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        // The background sweeper may have run as the clock moved; one more sweep makes sure.
        await service.Services.GetRequiredService<ChangeLogSweeper>().SweepOnceAsync(CancellationToken.None);

        var left = await service.InStoreAsync(db => db.ChangeLog.AsNoTracking()
            .Where(e => e.AppId == "changelog-retention-app").Select(e => e.NotificationId).ToListAsync());
        Assert.Equal([recent], left);
        Assert.DoesNotContain(old, left);
    }
}

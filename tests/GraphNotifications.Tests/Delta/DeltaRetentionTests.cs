using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GraphNotifications.Tests.Delta.DeltaSync;

namespace GraphNotifications.Tests.Delta;

/// <summary>The service with its clock in the tests' hands and a change log kept ten minutes.</summary>
public abstract class DeltaStoreFactory(bool sqlite) : StoreServiceFactory(sqlite)
{
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ChangeLog:Retention", Retention.ToString());
    }
}

public sealed class SqliteDeltaStoreFactory() : DeltaStoreFactory(sqlite: true);

public sealed class InMemoryDeltaStoreFactory() : DeltaStoreFactory(sqlite: false);

public sealed class SqliteDeltaRetentionTests(SqliteDeltaStoreFactory service) : DeltaRetentionTests<SqliteDeltaStoreFactory>(service), IClassFixture<SqliteDeltaStoreFactory>;

public sealed class InMemoryDeltaRetentionTests(InMemoryDeltaStoreFactory service) : DeltaRetentionTests<InMemoryDeltaStoreFactory>(service), IClassFixture<InMemoryDeltaStoreFactory>;

/// <summary>
/// Time and delta: an expired notification leaves the feed as deleted, and a token is good for the change log's
/// retention after the position it holds was current (each new deltaLink starts that time again); older, it is a 410.
/// </summary>
public abstract class DeltaRetentionTests<TFactory>(TFactory service) where TFactory : DeltaStoreFactory
{
    [Fact]
    public async Task A_notification_that_expires_comes_as_removed_deleted_once_the_sweeper_has_removed_it()
    {
        var app = service.AppOnly("delta-time-app-1");
        var body = Bodies.Minimal();
        body["expirationDateTime"] = service.Clock.GetUtcNow().AddMinutes(5).ToString("O");
        string expiring = await app.CreateAsync("users/delta-time-u1/notifications", body);
        string staying = await app.CreateAsync("users/delta-time-u1/notifications");
        var initial = await FollowAsync(app, "users/delta-time-u1/notifications/delta");
        Assert.Equal(new[] { expiring, staying }.Order(), initial.Items.Select(Id).Order());

        service.Clock.Advance(TimeSpan.FromMinutes(6));
        await service.SweepAsync();
        var changes = await FollowAsync(app, initial.DeltaLink);

        var removed = Assert.Single(changes.Items);
        Assert.Equal(expiring, Id(removed));
        Assert.Equal("deleted", Removed(removed));
    }

    [Fact]
    public async Task A_delta_link_older_than_the_retention_is_410_and_a_fresh_one_keeps_working()
    {
        var app = service.AppOnly("delta-time-app-2");
        await app.CreateAsync("users/delta-time-u2/notifications");
        await app.CreateAsync("users/delta-time-u2/notifications");
        var initial = await FollowAsync(app, "users/delta-time-u2/notifications/delta");
        string nextLink = (await PageAsync(app, "users/delta-time-u2/notifications/delta", maxPageSize: 1))["@odata.nextLink"]!.GetValue<string>();

        // Within the retention the link works, and the new link it gives starts the retention again.
        service.Clock.Advance(DeltaStoreFactory.Retention - TimeSpan.FromMinutes(2));
        var round = await FollowAsync(app, initial.DeltaLink);
        service.Clock.Advance(DeltaStoreFactory.Retention - TimeSpan.FromMinutes(2));
        Assert.Empty((await FollowAsync(app, round.DeltaLink)).Items);

        await GoneAsync(app, initial.DeltaLink);
        await GoneAsync(app, nextLink);
    }
}

/// <summary>Tokens outlive the service: its Data Protection keys are in the store, not in the process.</summary>
public sealed class DeltaRestartTests
{
    [Fact]
    public async Task A_delta_link_still_works_after_the_service_restarts_on_the_same_sqlite_file()
    {
        string folder = Directory.CreateTempSubdirectory("graphnotifications-delta-").FullName;
        string database = Path.Combine(folder, "notifications.db");
        try
        {
            string deltaLink;
            await using (var before = new SqliteFileFactory(database))
            {
                var app = before.AppOnly("delta-restart-app");
                await app.CreateAsync("users/delta-restart-u1/notifications");
                deltaLink = (await FollowAsync(app, "users/delta-restart-u1/notifications/delta")).DeltaLink;
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await using var after = new SqliteFileFactory(database);
            var restarted = after.AppOnly("delta-restart-app");
            string created = await restarted.CreateAsync("users/delta-restart-u1/notifications");
            Assert.Equal(HttpStatusCode.NoContent, (await restarted.PatchAsync($"notifications/{created}", new JsonObject { ["groupName"] = "g" })).StatusCode);

            var changes = await FollowAsync(restarted, deltaLink);

            Assert.Equal([created], changes.Items.Select(Id));
            Assert.True(await after.KeyCountAsync() > 0, "The Data Protection keys are kept in the store.");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class SqliteFileFactory(string path) : ServiceFactoryBase
    {
        protected override void ConfigureStore(IWebHostBuilder builder)
        {
            builder.UseSetting("Storage:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:Notifications", $"Data Source={path}");
        }

        public async Task<int> KeyCountAsync()
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GraphNotifications.Api.Storage.NotificationsDbContext>();
            return await db.DataProtectionKeys.CountAsync();
        }
    }
}

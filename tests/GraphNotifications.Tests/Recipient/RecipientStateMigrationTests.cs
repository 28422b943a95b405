using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Recipient;

/// <summary>
/// A store from before the recipient's state (its schema at the <c>Delivery</c> migration) whose notification carries
/// dynamic properties named <c>readState</c>, <c>userActionState</c>, <c>snoozedUntilDateTime</c> and
/// <c>createdDateTime</c>, as an open type allowed: the service migrates it at start-up as docs/recipient.md says. The
/// four are removed from the stored content (the app's other dynamic properties stay), the declared properties read as
/// a new link's state and the creation time the store kept, and the item stays in its feed.
/// </summary>
public abstract class RecipientStateMigrationTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{
    private const string PriorMigration = "Delivery";

    protected TFactory Service { get; } = service;

    /// <summary>A context on the service's database that the service has not started on yet.</summary>
    protected abstract NotificationsDbContext OpenPriorStore();

    /// <summary>The JSON literal of the stored dynamic properties in this provider's SQL.</summary>
    protected abstract string JsonLiteral(string json);

    [SkippableFact]
    public async Task Stored_dynamic_properties_named_as_the_state_are_removed_and_the_declared_ones_read_as_documented()
    {
        string id = Guid.NewGuid().ToString();
        var created = new DateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-5).UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        long expires = DateTimeOffset.UtcNow.AddDays(10).UtcTicks;
        const string Stored = """
            {"readState":"read","userActionState":"dismissed","snoozedUntilDateTime":"2030-01-01T00:00:00Z","createdDateTime":"1999-12-31T00:00:00Z","appNotificationId":"order-42"}
            """;
        await using (var prior = OpenPriorStore())
        {
            await prior.Database.MigrateAsync(PriorMigration);
#pragma warning disable EF1002 // Test constants only: the JSON literal is this test's own text (its braces doubled, as raw SQL's format needs).
            await prior.Database.ExecuteSqlRawAsync($"""
                INSERT INTO "Notifications" ("Id", "TenantId", "AppId", "TargetHostName", "ExpiresAt", "RawContent", "GroupName", "DynamicProperties", "CreatedAt", "Version")
                VALUES ('{id}', 'default', 'state-legacy-app', 'legacy.example', {expires}, 'from before the state', 'legacy', {JsonLiteral(Stored.Trim()).Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)}, {created.UtcTicks}, 1)
                """);
            await prior.Database.ExecuteSqlRawAsync($"""
                INSERT INTO "UserNotificationLinks" ("TenantId", "UserId", "NotificationId", "AppId", "CreatedAt")
                VALUES ('default', 'state-legacy-user', '{id}', 'state-legacy-app', {created.UtcTicks})
                """);
#pragma warning restore EF1002
        }

        var app = Service.ClientWith(TestTokens.AppOnly("state-legacy-app"));
        var user = Service.ClientWith(TestTokens.Delegated("state-legacy-user", "state-legacy-app"));

        // In the feed: a new link's state and the creation time the store kept, not the stored values of those names.
        var item = await user.ReadNotificationAsync($"me/notifications/{id}");
        Assert.Equal("unread", item["readState"]!.GetValue<string>());
        Assert.Equal("noInteraction", item["userActionState"]!.GetValue<string>());
        Assert.Null(item["snoozedUntilDateTime"]);
        Assert.Equal(created, DateTimeOffset.Parse(item["createdDateTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("order-42", item["appNotificationId"]!.GetValue<string>());

        // Through the app's view: no recipient, so no state; the content keeps the app's other dynamic property.
        var content = await app.ReadNotificationAsync($"notifications/{id}");
        Assert.Null(content["readState"]);
        Assert.Null(content["userActionState"]);
        Assert.Equal("order-42", content["appNotificationId"]!.GetValue<string>());

        // The stored content no longer holds the four names; the item is counted unread and is in the feed.
        var stored = await InStoreAsync(db => db.Notifications.AsNoTracking().Where(n => n.Id == id).Select(n => n.DynamicProperties).SingleAsync());
        Assert.Equal(["appNotificationId"], stored!.Keys.Order());
        var badge = await user.GetAsync("me/notifications/$count?$filter=readState eq 'unread'");
        Assert.Equal(HttpStatusCode.OK, badge.StatusCode);
        Assert.Equal("1", await badge.Content.ReadAsStringAsync());

        // The state is the recipient's now: a PATCH of readState changes it, not the content.
        var patched = await user.PatchAsync($"me/notifications/{id}", new JsonObject { ["readState"] = "read" });
        Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
        Assert.Equal("read", (await user.ReadNotificationAsync($"me/notifications/{id}"))["readState"]!.GetValue<string>());
    }

    private async Task<T> InStoreAsync<T>(Func<NotificationsDbContext, Task<T>> action)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>());
    }
}

public sealed class SqliteRecipientStateMigrationTests(PriorSqliteFileFactory service) : RecipientStateMigrationTests<PriorSqliteFileFactory>(service)
{
    protected override NotificationsDbContext OpenPriorStore() =>
        new SqliteNotificationsDbContext(new DbContextOptionsBuilder<SqliteNotificationsDbContext>().UseSqlite(Service.ConnectionString).Options);

    protected override string JsonLiteral(string json) => $"'{json}'";
}

public sealed class PostgresRecipientStateMigrationTests : RecipientStateMigrationTests<PostgresServiceFactory>
{
    public PostgresRecipientStateMigrationTests(PostgresServiceFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();

    protected override NotificationsDbContext OpenPriorStore() =>
        new PostgresNotificationsDbContext(new DbContextOptionsBuilder<PostgresNotificationsDbContext>().UseNpgsql(Service.Database.ConnectionString).Options);

    protected override string JsonLiteral(string json) => $"'{json}'::jsonb";
}

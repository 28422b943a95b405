using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Tests.Querying;

/// <summary>
/// SQLite's plan for the SQL the service issues for <c>$filter=appNotificationId eq '…'</c>: a lookup along
/// IX_Notifications_AppNotificationId, not a walk through the feed (whose cost grows with it; bench/FeedPage's
/// dynamic-filter scenario measures both). The index is SQL in a migration that EF Core's model does not know, so a
/// later table rebuild would drop it silently; this fails then.
/// </summary>
public sealed class DynamicFilterPlanTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>
{
    [Theory]
    [InlineData("feed")]
    [InlineData("notifications")]
    public async Task An_app_notification_id_is_looked_up_along_its_index(string path)
    {
        var plan = await PlanAsync(path, "appNotificationId eq 'order-42'");

        Assert.Contains(plan, step => step.Contains("USING INDEX IX_Notifications_AppNotificationId (<expr>=?", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("IX_UserNotificationLinks_Feed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_page_of_the_feed_without_it_still_reads_one_range_of_the_feed_index()
    {
        var plan = await PlanAsync("feed", null);

        Assert.Contains(plan, step => step.StartsWith("SEARCH u USING COVERING INDEX IX_UserNotificationLinks_Feed", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    private async Task<List<string>> PlanAsync(string path, string? filter)
    {
        await service.AppOnly("plan-app").CreateAsync("users/plan-user/notifications");
        using var scope = service.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<NotificationStore>();
        var model = scope.ServiceProvider.GetRequiredService<IEdmModel>();
        var app = new AppScope("plan-tenant", "plan-app");
        var collection = path == "feed" ? store.FeedPages(app, "plan-user") : store.OwnedPages(app);
        var query = collection.InDefaultOrder(null);
        if (filter is not null)
        {
            // As the service binds a $filter (CollectionPager through the route's IFilterBinder, ExpandedFeeds directly).
            var set = model.EntityContainer.FindEntitySet("notifications");
            var clause = new ODataQueryOptionParser(model, set.EntityType, set, new Dictionary<string, string> { ["$filter"] = filter }).ParseFilter();
            query = (IQueryable<Notification>)new DynamicPropertyFilterBinder().ApplyBind(query, clause, new QueryBinderContext(model, QueryLimits.Store, typeof(Notification)));
        }

        // EF Core's text of the query: ".param set @name value" lines, then the SQL.
        string[] lines = query.Take(21).ToQueryString().Split('\n');
        using var connection = new SqliteConnection($"Data Source={service.DatabasePath};Pooling=False");
        connection.Open();
        using var explain = connection.CreateCommand();
        foreach (string line in lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
        {
            string[] parts = line.Split(' ', 4);
            explain.Parameters.AddWithValue(parts[2], parts[3].Trim().Trim('\''));
        }

        explain.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', lines.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        var plan = new List<string>();
        using var reader = explain.ExecuteReader();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }
}

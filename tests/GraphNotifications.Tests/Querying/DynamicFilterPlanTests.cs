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
/// SQLite's plan for the SQL the service issues for a feed page: the statistics the AppNotificationIdIndex migration
/// writes must not turn a plain page away from the feed index (a row for the feed index did, once other link indexes
/// existed). PlanAsync shows the plan of any filter as the service binds it.
/// </summary>
public sealed class DynamicFilterPlanTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>
{
    [Fact]
    public async Task A_page_of_the_feed_without_it_still_reads_one_range_of_the_feed_index()
    {
        var plan = await PlanAsync("feed", null);

        Assert.True(
            plan.Any(step => step.StartsWith("SEARCH u USING ", StringComparison.Ordinal) && step.Contains("INDEX IX_UserNotificationLinks_Feed (TenantId=? AND UserId=? AND AppId=?)", StringComparison.Ordinal))
            && !plan.Any(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal)),
            string.Join(" | ", plan));
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

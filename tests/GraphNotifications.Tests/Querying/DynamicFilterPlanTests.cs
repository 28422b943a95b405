using System.Data.Common;
using System.Net;
using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Tests.Querying;

/// <summary>
/// SQLite's plan for the SQL the service issues for a feed page: the statistics the AppNotificationIdIndex migration
/// writes must not turn a plain page away from the feed index (a row for the feed index did, once other link indexes
/// existed). PlanAsync shows the plan of any filter as the service binds it. On a store that started empty, the
/// statistics <see cref="SqliteStatistics"/> gathers as it fills keep <c>appNotificationId eq '…'</c> a lookup
/// along IX_Notifications_AppNotificationId (not a walk through the feed, whose cost grows with it) and a page on the
/// feed index.
/// </summary>
public sealed class DynamicFilterPlanTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>
{
    [Fact]
    public async Task A_page_of_the_feed_without_it_still_reads_one_range_of_the_feed_index()
    {
        var plan = await PlanAsync("feed", null);

        AssertReadsOneRangeOfTheFeedIndex(plan);
    }

    [Fact]
    public async Task On_a_store_that_started_empty_and_filled_a_lookup_uses_its_index_and_a_page_the_feed_index()
    {
        var commands = new CommandLog();
        using var fresh = new SqliteServiceFactory { TestServices = s => s.ConfigureDbContext<SqliteNotificationsDbContext>(db => db.AddInterceptors(commands)) };
        var statistics = fresh.Services.GetServices<IHostedService>().OfType<SqliteStatistics>().Single();
        var app = fresh.AppOnly("fill-app");

        // The policy first sees the store small (a run an interval after start-up): one notification, without an id.
        await app.CreateAsync("users/fill-0/notifications");
        await statistics.RefreshOnceAsync(CancellationToken.None);

        // Then it grows tenfold and more, and few notifications carry an appNotificationId (one in 25), as where an
        // app sets one on some: counted as one value, those without would make an id look as common as a feed.
        for (int user = 0; user < 4; user++)
        {
            for (int i = 0; i < 25; i++)
            {
                var body = Bodies.Minimal();
                if (i == 0)
                {
                    body["appNotificationId"] = $"order-{user}";
                }

                await app.CreateAsync($"users/fill-{user}/notifications", body);
            }
        }

        await statistics.RefreshOnceAsync(CancellationToken.None);

        var lookup = await PlanOfFeedReadAsync(fresh, app, commands, "users/fill-1/notifications?$filter=appNotificationId eq 'order-1'", expected: 1);
        var page = await PlanOfFeedReadAsync(fresh, app, commands, "users/fill-1/notifications", expected: 25);
        Assert.True(
            lookup.Any(step => step.Contains("USING INDEX IX_Notifications_AppNotificationId (<expr>=?", StringComparison.Ordinal))
            && !lookup.Any(step => step.Contains("IX_UserNotificationLinks_Feed", StringComparison.Ordinal)),
            string.Join(" | ", lookup));
        AssertReadsOneRangeOfTheFeedIndex(page);
    }

    private static void AssertReadsOneRangeOfTheFeedIndex(List<string> plan) =>
        Assert.True(
            plan.Any(step => step.StartsWith("SEARCH u USING ", StringComparison.Ordinal) && step.Contains("INDEX IX_UserNotificationLinks_Feed (TenantId=? AND UserId=? AND AppId=?)", StringComparison.Ordinal))
            && !plan.Any(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal)),
            string.Join(" | ", plan));

    /// <summary>Reads a feed through the service and returns SQLite's plan, on a new connection, for the query it ran.</summary>
    private static async Task<List<string>> PlanOfFeedReadAsync(SqliteServiceFactory service, HttpClient client, CommandLog commands, string url, int expected)
    {
        commands.Clear();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (await response.ReadObjectAsync())["value"]!.AsArray().Count);
        var (sql, parameters) = commands.Last(sql => sql.Contains("FROM \"UserNotificationLinks\" AS \"u\"", StringComparison.Ordinal));
        using var connection = new SqliteConnection($"Data Source={service.DatabasePath};Pooling=False");
        connection.Open();
        using var explain = connection.CreateCommand();
        foreach (var (name, value) in parameters)
        {
            explain.Parameters.AddWithValue(name, value);
        }

        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        return ReadPlan(explain);
    }

    private static List<string> ReadPlan(SqliteCommand explain)
    {
        var plan = new List<string>();
        using var reader = explain.ExecuteReader();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
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
        return ReadPlan(explain);
    }

    /// <summary>The queries the service's contexts run, with their parameters.</summary>
    private sealed class CommandLog : DbCommandInterceptor
    {
        private readonly List<(string Sql, List<(string Name, object Value)> Parameters)> _commands = [];

        public void Clear()
        {
            lock (_commands)
            {
                _commands.Clear();
            }
        }

        public (string Sql, List<(string Name, object Value)> Parameters) Last(Func<string, bool> which)
        {
            lock (_commands)
            {
                return _commands.Last(c => which(c.Sql));
            }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            lock (_commands)
            {
                _commands.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value ?? DBNull.Value))]));
            }

            return ValueTask.FromResult(result);
        }
    }
}

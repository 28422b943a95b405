using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using GraphNotifications.Api.Storage;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GraphNotifications.Tests.Recipient;

/// <summary>
/// The badge's cost does not grow with the read part of the feed: SQLite answers
/// <c>$count?$filter=readState eq 'unread'</c> from the read-state index alone (the unread range of the feed, its
/// expiry read from the link's copy), without visiting a notification. The plan is of the SQL the service issued.
/// </summary>
public sealed class BadgePlanTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>
{
    [Fact]
    public async Task The_badge_is_counted_from_the_read_state_index_alone()
    {
        const string User = "badge-plan-user";
        // EF Core remembers for a second (its logging cache time) that nobody listened to its commands: without
        // telemetry nobody does until this test's listener subscribes, so the count would go unseen.
        using var observed = service.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            services.ConfigureDbContext<SqliteNotificationsDbContext>(db => db.ConfigureLoggingCacheTime(TimeSpan.Zero))));
        var app = observed.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost/v1.0/") });
        app.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.AppOnly("badge-plan-app"));
        var ids = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            ids.Add(await app.CreateAsync($"users/{User}/notifications"));
        }

        foreach (string id in ids.Take(4))
        {
            (await app.PatchAsync($"users/{User}/notifications/{id}", new JsonObject { ["readState"] = "read" })).EnsureSuccessStatusCode();
        }

        using var commands = new IssuedCommands(User);
        var response = await app.GetAsync($"users/{User}/notifications/$count?$filter=readState eq 'unread'");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", await response.Content.ReadAsStringAsync());

        var count = Assert.Single(commands.Texts, c => c.Text.Contains("COUNT(", StringComparison.Ordinal));
        var plan = Plan(count);
        Assert.True(
            plan.Count == 1
            && plan[0].StartsWith("SEARCH u USING COVERING INDEX IX_UserNotificationLinks_ReadState (TenantId=? AND UserId=? AND AppId=? AND ReadState=?)", StringComparison.Ordinal),
            count.Text + Environment.NewLine + string.Join(" | ", plan));
    }

    private List<string> Plan((string Text, List<(string Name, object? Value)> Parameters) command)
    {
        using var connection = new SqliteConnection($"Data Source={service.DatabasePath};Pooling=False");
        connection.Open();
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Text;
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var plan = new List<string>();
        using var reader = explain.ExecuteReader();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    /// <summary>The commands EF Core issues while it lives that carry <paramref name="marker"/> as a parameter (this test's own).</summary>
    private sealed class IssuedCommands : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _marker;
        private readonly List<IDisposable> _subscriptions = [];
        private readonly ConcurrentQueue<(string Text, List<(string Name, object? Value)> Parameters)> _texts = new();

        public IssuedCommands(string marker)
        {
            _marker = marker;
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public IReadOnlyList<(string Text, List<(string Name, object? Value)> Parameters)> Texts => [.. _texts];

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(listener.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData { Command: DbCommand command }
                && command.Parameters.Cast<DbParameter>().Any(p => Equals(p.Value, _marker)))
            {
                _texts.Enqueue((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value))]));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}

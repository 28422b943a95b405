using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Recipient;

/// <summary>The badge under concurrent writers on a SQLite file.</summary>
public sealed class SqliteBadgeTests(SqliteServiceFactory service) : BadgeTests<SqliteServiceFactory>(service);

/// <summary>The badge under concurrent writers on PostgreSQL; skipped where no server is configured (failed under CI).</summary>
public sealed class PostgresBadgeTests : BadgeTests<PostgresServiceFactory>
{
    public PostgresBadgeTests(PostgresServiceFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();
}

/// <summary>
/// The unread badge (<c>$count?$filter=readState eq 'unread'</c>) is exact: after a burst of creates, state changes
/// and mark-all-as-read calls from many clients at once, it equals a count of the unread items made by reading the
/// whole feed, item by item.
/// </summary>
public abstract class BadgeTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase
{
    [SkippableFact]
    public async Task The_badge_equals_a_full_count_after_a_burst_of_concurrent_state_changes_and_creates()
    {
        string appId = "badge-app-" + Guid.NewGuid().ToString("N")[..8];
        const string User = "badge-user";
        var app = service.AppOnly(appId);
        var ids = new List<string>();
        for (int i = 0; i < 20; i++)
        {
            ids.Add(await app.CreateAsync($"users/{User}/notifications"));
        }

        // Eight clients at once (four as the user's devices, four as the app), each a mix of writes.
        var clients = Enumerable.Range(0, 8).Select(c => c % 2 == 0 ? service.Delegated(User, appId) : service.AppOnly(appId)).ToList();
        string Feed(int client) => client % 2 == 0 ? "me/notifications" : $"users/{User}/notifications";
        var failures = new List<string>();
        await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
        {
            var random = new Random(c);
            for (int step = 0; step < 25; step++)
            {
                string id = ids[random.Next(ids.Count)];
                var response = random.Next(10) switch
                {
                    0 => await client.PostAsync($"users/{User}/notifications", Bodies.Minimal($"burst {c}.{step}")),
                    1 when step % 12 == 0 => await client.PostAsync($"{Feed(c)}/microsoft.graph.markAllAsRead", new JsonObject()),
                    2 or 3 => await client.PatchAsync($"{Feed(c)}/{id}", new JsonObject { ["readState"] = "unread" }),
                    4 or 5 => await client.PatchAsync($"{Feed(c)}/{id}", new JsonObject { ["readState"] = "read" }),
                    6 => await client.PatchAsync($"{Feed(c)}/{id}", new JsonObject { ["userActionState"] = "activated" }),
                    7 => await client.PatchAsync($"{Feed(c)}/{id}", new JsonObject { ["userActionState"] = "noInteraction", ["readState"] = "unread" }),
                    _ => await client.PostAsync($"users/{User}/notifications", Bodies.Minimal($"burst {c}.{step}")),
                };
                // Under contention a write may be told to retry (409); anything else but success is a failure.
                if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
                {
                    string failure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    lock (failures)
                    {
                        failures.Add(failure);
                    }
                }
            }
        })));
        Assert.Empty(failures);

        string badge = await (await app.GetAsync($"users/{User}/notifications/$count?$filter=readState eq 'unread'")).Content.ReadAsStringAsync();

        int unread = 0, total = 0;
        string? next = $"users/{User}/notifications?$select=readState";
        while (next is not null)
        {
            var page = await app.ReadNotificationAsync(next);
            foreach (var item in page["value"]!.AsArray())
            {
                total++;
                unread += item!["readState"]!.GetValue<string>() == "unread" ? 1 : 0;
            }

            next = page["@odata.nextLink"]?.GetValue<string>();
        }

        Assert.True(total > ids.Count, $"the burst created nothing ({total} items)");
        Assert.Equal(unread.ToString(System.Globalization.CultureInfo.InvariantCulture), badge);
        Assert.Equal(badge, await (await service.Delegated(User, appId).GetAsync("me/notifications/$count?$filter=readState eq 'unread'")).Content.ReadAsStringAsync());
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using GraphNotifications.Tests.Subscriptions;
using Npgsql;
using Xunit.Abstractions;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// Two instances on one PostgreSQL database, many writers through both (creates, links, dismissals, PATCH, DELETE)
/// on a few notifications shared by three feeds, so that they race on the same ones; a delta reader and a webhook
/// subscription follow every feed throughout, and each instance is killed (SIGKILL) and restarted once mid-run. At the
/// end, against the database: the log of each feed and notification reads as the changes happened (created, updated,
/// deleted, created again…); the webhook got every entry of its feed, in log order (a batch may come again after a
/// kill); the delta reader's feeds are the database's, with every notification as it is; every acknowledged create is
/// logged, every acknowledged delete is gone.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class PostgresChangeOrderTests : IClassFixture<PostgresTestDatabase>
{
    private const string App = "order-app";
    private static readonly string[] Users = ["order-u0", "order-u1", "order-u2"];

    private static readonly string[] Settings =
    [
        "Subscriptions:AllowPrivateNotificationUrls=true",
        "Subscriptions:RequireHttps=false",
        "Subscriptions:Delivery:Timeout=00:00:01",
        "Subscriptions:Delivery:ClaimLease=00:00:03",
        "Subscriptions:Delivery:RetryBase=00:00:00.100",
        "Subscriptions:Delivery:RetryCap=00:00:00.500",
    ];

    private readonly PostgresTestDatabase _database;
    private readonly ITestOutputHelper _output;

    public PostgresChangeOrderTests(PostgresTestDatabase database, ITestOutputHelper output)
    {
        database.SkipUnlessAvailable();
        _database = database;
        _output = output;
    }

    [SkippableFact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task Concurrent_writers_through_two_instances_killed_in_turn_leave_a_log_every_reader_follows_in_order_without_a_gap()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var first = await ServiceProcess.StartOnPostgresAsync(_database.ConnectionString, Settings);
        await using var second = await ServiceProcess.StartOnPostgresAsync(_database.ConnectionString, Settings);
        ServiceProcess[] instances = [first, second];
        var subscriptions = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var client = first.AppOnly(App))
        {
            foreach (string user in Users)
            {
                var subscription = await client.SubscribeAsync(SubscriptionBodies.New(receiver.Url, $"users/{user}/notifications", changeType: "created,updated,deleted"));
                subscriptions[subscription["id"]!.GetValue<string>()] = user;
            }
        }

        var readers = new List<DeltaReader>();
        foreach (string user in Users)
        {
            var reader = new DeltaReader(user);
            await reader.FollowAsync(instances);
            readers.Add(reader);
        }

        // The writers, and the delta readers following throughout; each instance killed once, then restarted.
        var work = new Workload(instances);
        using var stopReading = new CancellationTokenSource();
        using var stopWriting = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            while (!stopReading.IsCancellationRequested)
            {
                foreach (var reader in readers)
                {
                    await reader.FollowAsync(instances);
                }

                // Paced, so that the writers keep most of the two cores.
                await Task.Delay(50);
            }
        });
        var writing = Task.WhenAll(Enumerable.Range(0, 8).Select(w => work.WriteAsync(w, stopWriting.Token)));
        foreach (var victim in new[] { second, first })
        {
            await work.WaitForAcknowledgedAsync(work.Acknowledged + 100, writing);
            victim.Kill();
            await work.WaitForAcknowledgedAsync(work.Acknowledged + 30, writing);
            // The writers wait while it starts again, so that its start does not race them for the cores.
            work.Paused = true;
            await victim.RestartAsync();
            work.Paused = false;
        }

        await work.WaitForAcknowledgedAsync(work.Acknowledged + 100, writing);
        await stopWriting.CancelAsync();
        await writing;
        await stopReading.CancelAsync();
        await reading;

        var log = await ChangeLogAsync();
        var feeds = await FeedsAsync();
        _output.WriteLine($"{work.Acknowledged} writes acknowledged, {work.Refused} refused or lost with a killed instance; {log.Count} log entries");

        // The log itself: per feed and notification, created, updated…, deleted, created again: never two creations
        // or an update or deletion of what is not in the feed.
        foreach (var perNotification in log.GroupBy(e => (e.UserId, e.NotificationId)))
        {
            bool inFeed = false;
            foreach (var entry in perNotification)
            {
                Assert.True(entry.ChangeType == "Created" ? !inFeed : inFeed, $"{perNotification.Key}: {string.Join(", ", perNotification.Select(e => e.ChangeType))}");
                inFeed = entry.ChangeType != "Deleted";
            }

            Assert.Equal(inFeed, feeds.TryGetValue(perNotification.Key.UserId, out var feed) && feed.ContainsKey(perNotification.Key.NotificationId));
        }

        // Acknowledged writes survived the kills.
        var created = log.Where(e => e.ChangeType == "Created").Select(e => e.NotificationId).ToHashSet(StringComparer.Ordinal);
        Assert.All(work.AcknowledgedCreates, id => Assert.Contains(id, created));
        var present = feeds.Values.SelectMany(f => f.Keys).ToHashSet(StringComparer.Ordinal);
        Assert.All(work.AcknowledgedDeletes, id => Assert.DoesNotContain(id, present));

        // The webhook: every entry of its feed, in log order (a repeated batch aside).
        var expected = Users.ToDictionary(u => u, u => log.Where(e => e.UserId == u).Select(e => (Type: WebhookType(e.ChangeType), Id: e.NotificationId)).ToList());
        var items = await receiver.WaitForAsync(
            items => Users.All(u => IsSubsequence(expected[u], Arrived(items, subscriptions, u))), TimeSpan.FromSeconds(60));
        foreach (string user in Users)
        {
            var arrived = Arrived(items, subscriptions, user);
            Assert.True(IsSubsequence(expected[user], arrived), $"{user}: the webhook missed or reordered a change");
            Assert.All(arrived, change => Assert.Contains(change, expected[user]));
        }

        // The delta readers: once more now that nothing moves, then each feed is the database's, notification by notification.
        foreach (var reader in readers)
        {
            await reader.FollowAsync(instances);
            Assert.Equal(feeds.GetValueOrDefault(reader.User, []).OrderBy(p => p.Key), reader.Feed.OrderBy(p => p.Key));
        }
    }

    private static string WebhookType(string changeType) => changeType.ToLowerInvariant();

    private static List<(string Type, string Id)> Arrived(JsonObject[] items, Dictionary<string, string> subscriptions, string user) =>
        [.. items.Where(i => subscriptions[i["subscriptionId"]!.GetValue<string>()] == user).Select(DeliveryTests.Change)];

    /// <summary>Whether <paramref name="expected"/> appears in <paramref name="arrived"/> in order, other items (repeats) between.</summary>
    private static bool IsSubsequence(List<(string Type, string Id)> expected, List<(string Type, string Id)> arrived)
    {
        int next = 0;
        foreach (var item in arrived)
        {
            if (next < expected.Count && expected[next] == item)
            {
                next++;
            }
        }

        return next == expected.Count;
    }

    private sealed record Entry(string UserId, string NotificationId, string ChangeType);

    /// <summary>The app's change log, in its order.</summary>
    private async Task<List<Entry>> ChangeLogAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """SELECT "UserId", "NotificationId", "ChangeType" FROM "ChangeLog" WHERE "AppId" = @app ORDER BY "TransactionId", "Sequence" """, connection);
        command.Parameters.AddWithValue("app", App);
        var entries = new List<Entry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new Entry(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return entries;
    }

    /// <summary>Each feed as the database holds it: notification id to its groupName.</summary>
    private async Task<Dictionary<string, Dictionary<string, string?>>> FeedsAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """SELECT l."UserId", n."Id", n."GroupName" FROM "UserNotificationLinks" l JOIN "Notifications" n ON n."Id" = l."NotificationId" WHERE l."AppId" = @app""",
            connection);
        command.Parameters.AddWithValue("app", App);
        var feeds = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            string user = reader.GetString(0);
            if (!feeds.TryGetValue(user, out var feed))
            {
                feeds[user] = feed = new Dictionary<string, string?>(StringComparer.Ordinal);
            }

            feed[reader.GetString(1)] = reader.IsDBNull(2) ? null : reader.GetString(2);
        }

        return feeds;
    }

    /// <summary>
    /// Random writes by one app on a small pool of notifications (so that writers race on the same ones), through
    /// either instance; a request to a killed instance is lost, not acknowledged.
    /// </summary>
    private sealed class Workload(ServiceProcess[] instances)
    {
        private readonly ConcurrentQueue<string> _pool = new();
        private int _acknowledged;
        private int _refused;
        private int _version;

        public int Acknowledged => Volatile.Read(ref _acknowledged);

        public bool Paused { get; set; }

        public int Refused => Volatile.Read(ref _refused);

        public ConcurrentBag<string> AcknowledgedCreates { get; } = [];

        public ConcurrentBag<string> AcknowledgedDeletes { get; } = [];

        public async Task WaitForAcknowledgedAsync(int count, Task writing)
        {
            while (Acknowledged < count && !writing.IsCompleted)
            {
                await Task.WhenAny(writing, Task.Delay(20));
            }
        }

        public async Task WriteAsync(int writer, CancellationToken stop)
        {
            var random = new Random(writer);
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                while (Paused && !stop.IsCancellationRequested)
                {
                    await Task.Delay(20);
                }

                var instance = instances[(writer + i) % instances.Length];
                HttpClient client;
                try
                {
                    client = instance.AppOnly(App);
                }
                catch (InvalidOperationException)
                {
                    // Killed, not yet restarted: through the other one.
                    instance = instances[(writer + i + 1) % instances.Length];
                    try
                    {
                        client = instance.AppOnly(App);
                    }
                    catch (InvalidOperationException)
                    {
                        Interlocked.Increment(ref _refused);
                        continue;
                    }
                }

                using (client)
                {
                    try
                    {
                        await WriteOnceAsync(client, random);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ObjectDisposedException)
                    {
                        Interlocked.Increment(ref _refused);
                    }
                }
            }
        }

        private async Task WriteOnceAsync(HttpClient client, Random random)
        {
            string user = Users[random.Next(Users.Length)];
            string[] pool = [.. _pool];
            int choice = pool.Length < 4 ? 0 : random.Next(10);
            string id = pool.Length == 0 ? string.Empty : pool[random.Next(Math.Max(0, pool.Length - 6), pool.Length)];
            HttpResponseMessage response;
            switch (choice)
            {
                case 0 or 1:
                    response = await client.PostAsync($"users/{user}/notifications", Bodies.Minimal("order"));
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        string created = (await response.ReadObjectAsync())["id"]!.GetValue<string>();
                        AcknowledgedCreates.Add(created);
                        _pool.Enqueue(created);
                    }

                    break;
                case 2 or 3:
                    response = await client.PostAsync($"users/{user}/notifications/$ref", Bodies.Reference(id));
                    break;
                case 4 or 5:
                    response = await client.DeleteAsync($"users/{user}/notifications/{id}/$ref");
                    break;
                case 6 or 7 or 8:
                    response = await client.PatchAsync($"notifications/{id}", new JsonObject { ["groupName"] = $"g{Interlocked.Increment(ref _version)}" });
                    break;
                default:
                    response = await client.DeleteAsync($"notifications/{id}");
                    if (response.StatusCode == HttpStatusCode.NoContent)
                    {
                        AcknowledgedDeletes.Add(id);
                    }

                    break;
            }

            using (response)
            {
                // Not found: deleted meanwhile (a link or PATCH), or not in that feed (a dismissal). Conflict: a PATCH or
                // DELETE that lost the race for the notification's version every time it tried. Anything else is a failure.
                Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.NoContent or HttpStatusCode.NotFound or HttpStatusCode.Conflict,
                    $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                Interlocked.Increment(ref response.StatusCode == HttpStatusCode.Conflict ? ref _refused : ref _acknowledged);
            }
        }
    }

    /// <summary>Follows one feed's delta links, through whichever instance is up, and keeps the feed they describe.</summary>
    private sealed class DeltaReader(string user)
    {
        private string _next = $"users/{user}/notifications/delta";

        public string User => user;

        /// <summary>The feed as the delta pages so far describe it: notification id to its groupName.</summary>
        public Dictionary<string, string?> Feed { get; } = new(StringComparer.Ordinal);

        public async Task FollowAsync(ServiceProcess[] instances)
        {
            foreach (var instance in instances)
            {
                try
                {
                    using var client = instance.AppOnly(App);
                    while (true)
                    {
                        var page = await (await client.GetAsync(_next)).EnsureSuccessStatusCode().ReadObjectAsync();
                        foreach (var item in page["value"]!.AsArray().Select(i => i!.AsObject()))
                        {
                            string id = item["id"]!.GetValue<string>();
                            if (item.ContainsKey("@removed"))
                            {
                                Feed.Remove(id);
                            }
                            else
                            {
                                Feed[id] = item["groupName"]?.GetValue<string>();
                            }
                        }

                        // The link's path and token, for either instance.
                        string link = (page["@odata.nextLink"] ?? page["@odata.deltaLink"])!.GetValue<string>();
                        _next = new Uri(link).PathAndQuery.TrimStart('/')["v1.0/".Length..];
                        if (page["@odata.deltaLink"] is not null)
                        {
                            return;
                        }
                    }
                }
                catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException or ObjectDisposedException)
                {
                    // This instance is down: the other one.
                }
            }
        }
    }
}

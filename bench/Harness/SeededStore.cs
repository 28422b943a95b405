using System.Diagnostics;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Validation;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Bench.Harness;

/// <summary>
/// The SQLite files of a run. The schema is made by the service's own start-up code (EF Core migrations, WAL); the
/// rows by prepared raw inserts, in the column formats the service writes. One template is seeded and copied for
/// each process, so the service and the ceiling start from the same bytes.
/// </summary>
internal static class SeededStore
{
    public const string AppId = "bench-app";
    public const string PostUser = "post-user";

    public static string FeedUser(int size) => $"feed-{size}";

    /// <summary>An empty store with the service's schema.</summary>
    public static async Task CreateEmptyAsync(string path)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Sqlite",
                [$"ConnectionStrings:{StorageExtensions.ConnectionStringName}"] = $"Data Source={path}",
            })
            .Build();
        await using var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddNotificationsStorage(configuration)
            .BuildServiceProvider();
        await services.PrepareNotificationsStoreAsync();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// One feed per size (user <see cref="FeedUser"/>), and for each of <paramref name="poolUsers"/> a pool of
    /// <paramref name="poolSize"/> notifications for the <c>$ref</c> scenarios, the second half linked to that user.
    /// Returns the pools' ids by user.
    /// </summary>
    public static (Dictionary<string, string[]> Pools, TimeSpan Elapsed) Seed(string path, IReadOnlyList<int> sizes, IEnumerable<string> poolUsers, int poolSize, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        // Seeding only: no journal, no fsync, no foreign-key probe per link (the rows are consistent by construction).
        Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;");
        using var writer = new RowWriter(connection);

        foreach (int size in sizes)
        {
            writer.Add(size, FeedUser(size), linkFrom: 0, cancellationToken);
        }

        var pools = poolUsers.ToDictionary(user => user, user => writer.Add(poolSize, user, linkFrom: poolSize / 2, cancellationToken));
        writer.Commit();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        return (pools, clock.Elapsed);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Prepared inserts of notifications and links, 50,000 rows a transaction.</summary>
    private sealed class RowWriter : IDisposable
    {
        private const int RowsPerTransaction = 50_000;

        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _link;
        private SqliteTransaction _transaction;
        private int _rows;

        public RowWriter(SqliteConnection connection)
        {
            _connection = connection;
            _insert = connection.CreateCommand();
            _insert.CommandText = """
                INSERT INTO "Notifications" ("Id", "TargetHostName", "ExpiresAt", "RawContent", "Title", "Body",
                    "DisplayTimeToLive", "Priority", "GroupName", "PlatformTypes", "DynamicProperties", "CreatedAt", "Version", "AppId", "TenantId")
                VALUES ($id, 'builds.contoso.com', $expiresAt, $raw, $title, $body, 3600, $priority, 'builds', '["windows","webpush"]',
                    $dynamic, $createdAt, 1, $appId, 'default');
                """;
            _link = connection.CreateCommand();
            _link.CommandText = """
                INSERT INTO "UserNotificationLinks" ("TenantId", "UserId", "NotificationId", "AppId", "CreatedAt", "ExpiresAt")
                VALUES ('default', $userId, $id, $appId, $createdAt, $expiresAt);
                """;
            foreach (string name in new[] { "$id", "$expiresAt", "$raw", "$title", "$body", "$priority", "$dynamic", "$createdAt", "$appId" })
            {
                _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            foreach (string name in new[] { "$userId", "$id", "$appId", "$createdAt", "$expiresAt" })
            {
                _link.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _transaction = connection.BeginTransaction();
        }

        /// <summary>
        /// <paramref name="count"/> notifications created one millisecond apart and ending now, expiring 30 days after
        /// creation; those from index <paramref name="linkFrom"/> on are linked into <paramref name="userId"/>'s feed.
        /// </summary>
        public string[] Add(int count, string userId, int linkFrom, CancellationToken cancellationToken)
        {
            var ids = new string[count];
            long first = DateTimeOffset.UtcNow.UtcTicks - (count * TimeSpan.TicksPerMillisecond);
            long lifetime = NotificationRules.MaximumLifetime.Ticks;
            for (int i = 0; i < count; i++)
            {
                if (++_rows % RowsPerTransaction == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    _transaction.Commit();
                    _transaction.Dispose();
                    _transaction = _connection.BeginTransaction();
                }

                ids[i] = Guid.NewGuid().ToString();
                long createdAt = first + (i * TimeSpan.TicksPerMillisecond);
                Run(_insert, ids[i], createdAt + lifetime, $$"""{"build":{{i}},"status":"succeeded"}""", $"Build {i} finished",
                    $"Pipeline main #{i} succeeded in {(i % 50) + 3} minutes. Open the run to see its artifacts and test results.",
                    i % 3, $$"""{"appNotificationId":"build-{{i}}"}""", createdAt, AppId);
                if (i >= linkFrom)
                {
                    Run(_link, userId, ids[i], AppId, createdAt, createdAt + lifetime);
                }
            }

            return ids;
        }

        public void Commit() => _transaction.Commit();

        public void Dispose()
        {
            _transaction.Dispose();
            _insert.Dispose();
            _link.Dispose();
        }

        private void Run(SqliteCommand command, params object[] values)
        {
            command.Transaction = _transaction;
            for (int i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i];
            }

            command.ExecuteNonQuery();
        }
    }
}

using System.Diagnostics;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Validation;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Bench.FeedPage;

/// <summary>
/// A fresh SQLite store holding one user's feed of <c>N</c> notifications of one app: the schema comes from the
/// service's own migrations (through its storage registration), the rows from prepared raw inserts.
/// </summary>
internal sealed class FeedStore
{
    public const string AppId = "bench-app";

    /// <summary>The tenant of the bench's tokens, which carry no <c>tid</c>: the service's default tenant.</summary>
    public const string TenantId = "default";

    public const string UserId = "bench-user";

    private const int RowsPerTransaction = 50_000;

    private FeedStore(string path, string[] ids, long[] createdAt)
    {
        DatabasePath = path;
        _ids = ids;
        _createdAt = createdAt;
    }

    private readonly string[] _ids;
    private readonly long[] _createdAt;

    public string DatabasePath { get; }

    public int Count => _ids.Length;

    public TimeSpan MigrateTime { get; private init; }

    public TimeSpan SeedTime { get; private init; }

    /// <summary>The id of the notification with <paramref name="depth"/> newer ones before it in the feed (0 is the newest).</summary>
    public string IdAtDepth(int depth) => _ids[_ids.Length - 1 - depth];

    public long CreatedAtDepth(int depth) => _createdAt[_createdAt.Length - 1 - depth];

    public static string TitleOf(int index) => $"Build {index} finished";

    public static async Task<FeedStore> CreateAsync(string path, int count, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await MigrateAsync(path);
        var migrate = clock.Elapsed;

        clock.Restart();
        var (ids, createdAt) = Seed(path, count, cancellationToken);
        return new FeedStore(path, ids, createdAt) { MigrateTime = migrate, SeedTime = clock.Elapsed };
    }

    /// <summary>
    /// The service's own start-up step (AddNotificationsStorage + PrepareNotificationsStoreAsync): the same
    /// DbContext options, EF Core migrations, and WAL.
    /// </summary>
    private static async Task MigrateAsync(string path)
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
    /// One app's notifications, created one millisecond apart and ending now, each linked into the one user's feed.
    /// Column formats are EF Core's, as the service writes them: lower-case GUID text ids, UTC ticks for
    /// CreatedAt and ExpiresAt (30 days after creation, the service's default), JSON for the platform list and the
    /// dynamic properties, the enum's value for priority.
    /// </summary>
    private static (string[] Ids, long[] CreatedAt) Seed(string path, int count, CancellationToken cancellationToken)
    {
        var ids = new string[count];
        var createdAt = new long[count];
        long first = DateTimeOffset.UtcNow.UtcTicks - (count * TimeSpan.TicksPerMillisecond);

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();

        // Seeding only: no journal, no fsync, no foreign-key probe per link (the rows are consistent by construction).
        // The indexes are the migrations' own, filled row by row as the service fills them.
        Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;");

        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO "Notifications" ("Id", "TargetHostName", "ExpiresAt", "RawContent", "Title", "Body",
                "DisplayTimeToLive", "Priority", "GroupName", "PlatformTypes", "DynamicProperties", "CreatedAt", "Version", "AppId", "TenantId")
            VALUES ($id, 'builds.contoso.com', $expiresAt, $raw, $title, $body, 3600, $priority, 'builds', '["windows","webpush"]',
                $dynamic, $createdAt, 1, $appId, $tenantId);
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var expiresAt = insert.Parameters.Add("$expiresAt", SqliteType.Integer);
        var raw = insert.Parameters.Add("$raw", SqliteType.Text);
        var title = insert.Parameters.Add("$title", SqliteType.Text);
        var body = insert.Parameters.Add("$body", SqliteType.Text);
        var priority = insert.Parameters.Add("$priority", SqliteType.Integer);
        var dynamic = insert.Parameters.Add("$dynamic", SqliteType.Text);
        var created = insert.Parameters.Add("$createdAt", SqliteType.Integer);
        insert.Parameters.AddWithValue("$appId", AppId);
        insert.Parameters.AddWithValue("$tenantId", TenantId);

        using var link = connection.CreateCommand();
        link.CommandText = """
            INSERT INTO "UserNotificationLinks" ("TenantId", "UserId", "NotificationId", "AppId", "CreatedAt", "ExpiresAt")
            VALUES ($tenantId, $userId, $id, $appId, $createdAt, $expiresAt);
            """;
        var linkId = link.Parameters.Add("$id", SqliteType.Text);
        var linkCreated = link.Parameters.Add("$createdAt", SqliteType.Integer);
        var linkExpires = link.Parameters.Add("$expiresAt", SqliteType.Integer);
        link.Parameters.AddWithValue("$appId", AppId);
        link.Parameters.AddWithValue("$userId", UserId);
        link.Parameters.AddWithValue("$tenantId", TenantId);

        var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        link.Transaction = transaction;
        insert.Prepare();
        link.Prepare();
        long lifetime = NotificationRules.MaximumLifetime.Ticks;
        for (int i = 0; i < count; i++)
        {
            if (i > 0 && i % RowsPerTransaction == 0)
            {
                transaction.Commit();
                transaction.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                link.Transaction = transaction;
            }

            ids[i] = Guid.NewGuid().ToString();
            createdAt[i] = first + (i * TimeSpan.TicksPerMillisecond);
            id.Value = ids[i];
            created.Value = createdAt[i];
            expiresAt.Value = createdAt[i] + lifetime;
            title.Value = TitleOf(i);
            body.Value = $"Pipeline main #{i} succeeded in {(i % 50) + 3} minutes. Open the run to see its artifacts and test results.";
            raw.Value = $$"""{"build":{{i}},"status":"succeeded"}""";
            priority.Value = i % 3;
            dynamic.Value = $$"""{"appNotificationId":"build-{{i}}"}""";
            insert.ExecuteNonQuery();
            linkId.Value = ids[i];
            linkCreated.Value = createdAt[i];
            linkExpires.Value = expiresAt.Value;
            link.ExecuteNonQuery();
        }

        transaction.Commit();
        transaction.Dispose();

        // Back to the service's journal (WAL, which it also sets at start-up). No ANALYZE: the service gathers the
        // statistics itself (SqliteStatistics runs PRAGMA optimize at start-up), as it does for a store in production.
        Execute(connection, "PRAGMA journal_mode=WAL;");
        return (ids, createdAt);
    }

    /// <summary>The SQLite library this process loads: the service's, as both take it from the same packages.</summary>
    public static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version();";
        return (string)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

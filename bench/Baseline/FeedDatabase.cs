using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace GraphNotifications.Bench.Baseline;

/// <summary>One stored notification, as a page reads it.</summary>
public sealed record StoredNotification(
    string Id, string TargetHostName, long ExpiresAt, string? RawContent, string? Title, string? Body, int? DisplayTimeToLive,
    int? Priority, string? GroupName, string? PlatformTypes, string DynamicProperties, long Version);

/// <summary>
/// The service's SQLite file, opened as the service opens it (WAL, <c>synchronous=FULL</c>, a busy timeout).
/// Reads run on a pool of connections, each with its statements prepared once; WAL lets them run beside the writer.
/// </summary>
public sealed class FeedDatabase(string connectionString) : IDisposable
{
    private readonly ConcurrentBag<FeedReader> _readers = [];

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    /// <summary>A page of one user's feed of one app's live notifications, newest first, along the feed index.</summary>
    public List<StoredNotification> Page(string userId, string appId, long now, int top)
    {
        if (!_readers.TryTake(out var reader))
        {
            reader = new FeedReader(Open());
        }

        try
        {
            return reader.Page(userId, appId, now, top);
        }
        finally
        {
            _readers.Add(reader);
        }
    }

    public void Dispose()
    {
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private sealed class FeedReader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _page;
        private readonly SqliteParameter _user;
        private readonly SqliteParameter _app;
        private readonly SqliteParameter _now;
        private readonly SqliteParameter _top;

        public FeedReader(SqliteConnection connection)
        {
            _connection = connection;
            _page = connection.CreateCommand();
            _page.CommandText = """
                SELECT n."Id", n."TargetHostName", n."ExpiresAt", n."RawContent", n."Title", n."Body", n."DisplayTimeToLive",
                       n."Priority", n."GroupName", n."PlatformTypes", n."DynamicProperties", n."Version"
                FROM "UserNotificationLinks" AS l
                INNER JOIN "Notifications" AS n ON l."NotificationId" = n."Id"
                WHERE l."TenantId" = 'default' AND l."UserId" = $user AND l."AppId" = $app AND n."ExpiresAt" > $now
                ORDER BY l."CreatedAt" DESC, l."NotificationId" DESC
                LIMIT $top
                """;
            _user = _page.Parameters.Add("$user", SqliteType.Text);
            _app = _page.Parameters.Add("$app", SqliteType.Text);
            _now = _page.Parameters.Add("$now", SqliteType.Integer);
            _top = _page.Parameters.Add("$top", SqliteType.Integer);
            _page.Prepare();
        }

        public List<StoredNotification> Page(string userId, string appId, long now, int top)
        {
            _user.Value = userId;
            _app.Value = appId;
            _now.Value = now;
            _top.Value = top;
            var page = new List<StoredNotification>(top);
            using var rows = _page.ExecuteReader();
            while (rows.Read())
            {
                page.Add(new StoredNotification(
                    rows.GetString(0), rows.GetString(1), rows.GetInt64(2), Text(rows, 3), Text(rows, 4), Text(rows, 5),
                    rows.IsDBNull(6) ? null : rows.GetInt32(6), rows.IsDBNull(7) ? null : rows.GetInt32(7), Text(rows, 8),
                    Text(rows, 9), rows.GetString(10), rows.GetInt64(11)));
            }

            return page;
        }

        public void Dispose()
        {
            _page.Dispose();
            _connection.Dispose();
        }

        private static string? Text(SqliteDataReader rows, int ordinal) => rows.IsDBNull(ordinal) ? null : rows.GetString(ordinal);
    }
}

/// <summary>What the service writes for a stored notification.</summary>
public static class NotificationJson
{
    private static readonly string[] PriorityNames = ["None", "High", "Low"];

    public static NotificationOut From(StoredNotification row, string? context) => new()
    {
        ODataContext = context,
        ETag = ETag(row.Version),
        Id = row.Id,
        DisplayTimeToLive = row.DisplayTimeToLive,
        ExpirationDateTime = Instant(row.ExpiresAt),
        GroupName = row.GroupName,
        Priority = row.Priority is int p ? PriorityNames[p] : null,
        TargetHostName = row.TargetHostName,
        Payload = new PayloadOut
        {
            RawContent = row.RawContent,
            VisualContent = row.Title is null && row.Body is null ? null : new VisualOut { Title = row.Title, Body = row.Body },
        },
        TargetPolicy = row.PlatformTypes is null ? null : new TargetPolicyOut { PlatformTypes = JsonSerializer.Deserialize(row.PlatformTypes, BaselineJson.Relaxed.ListString) },
        Dynamic = row.DynamicProperties is "{}" ? null : JsonSerializer.Deserialize(row.DynamicProperties, BaselineJson.Relaxed.DictionaryStringJsonElement),
    };

    public static string ETag(long version) => $"W/\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>UTC, with the fraction only as long as it needs to be, as ODataLib writes Edm.DateTimeOffset.</summary>
    public static string Instant(long utcTicks) =>
        new DateTime(utcTicks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}

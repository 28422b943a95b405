using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace GraphNotifications.Bench.Baseline;

/// <summary>
/// Every write goes through one connection on one thread, and the writes waiting at a time share one transaction
/// (group commit): one fsync for the batch, under <c>synchronous=FULL</c>. A request is answered only after the
/// commit that holds its write, so each 201 or 204 is as durable as the service's; SQLite serializes writers
/// anyway, so this only removes the per-request transaction and fsync.
/// </summary>
public sealed class NotificationWriter : IDisposable
{
    /// <summary>Writes per transaction at most (<c>Baseline:MaxBatch</c>); 1 turns group commit off, for comparison.</summary>
    private readonly int _maxBatch;

    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _insertLink;
    private readonly SqliteCommand _findLive;
    private readonly SqliteCommand _link;
    private readonly SqliteCommand _unlink;
    private readonly SqliteCommand _appendChange;
    private readonly SqliteCommand _appendDismissal;
    private readonly SqliteCommand _fanOutChanges;
    private readonly SqliteCommand _fanOutLinks;

    public NotificationWriter(FeedDatabase database, IConfiguration configuration)
    {
        _maxBatch = Math.Max(1, configuration.GetValue("Baseline:MaxBatch", 256));
        _connection = database.Open();
        _insert = Prepare("""
            INSERT INTO "Notifications" ("Id", "AppId", "CreatedAt", "DisplayTimeToLive", "DynamicProperties", "ExpiresAt", "GroupName",
                "Priority", "TargetHostName", "Version", "RawContent", "PlatformTypes", "Body", "Title", "TenantId")
            VALUES ($id, $app, $createdAt, $ttl, $dynamic, $expiresAt, $group, $priority, $host, 1, $raw, $platforms, $body, $title, 'default');
            """, "$id", "$app", "$createdAt", "$ttl", "$dynamic", "$expiresAt", "$group", "$priority", "$host", "$raw", "$platforms", "$body", "$title");
        _insertLink = Prepare("""
            INSERT INTO "UserNotificationLinks" ("TenantId", "NotificationId", "UserId", "AppId", "CreatedAt") VALUES ('default', $id, $user, $app, $createdAt);
            """, "$id", "$user", "$app", "$createdAt");
        _findLive = Prepare("""
            SELECT "CreatedAt", "TargetHostName" FROM "Notifications" WHERE "Id" = $id AND "AppId" = $app AND "ExpiresAt" > $now;
            """, "$id", "$app", "$now");
        _link = Prepare("""
            INSERT OR IGNORE INTO "UserNotificationLinks" ("TenantId", "NotificationId", "UserId", "AppId", "CreatedAt") VALUES ('default', $id, $user, $app, $createdAt);
            """, "$id", "$user", "$app", "$createdAt");
        _unlink = Prepare("""
            DELETE FROM "UserNotificationLinks" WHERE "TenantId" = 'default' AND "UserId" = $user AND "NotificationId" = $id AND "AppId" = $app
                AND EXISTS (SELECT 1 FROM "Notifications" AS n WHERE n."Id" = $id AND n."ExpiresAt" > $now);
            """, "$user", "$id", "$app", "$now");
        // Every change to a feed is appended to the change log in the change's own transaction, as the service does
        // for delta and change notifications.
        _appendChange = Prepare("""
            INSERT INTO "ChangeLog" ("TenantId", "AppId", "UserId", "NotificationId", "ChangeType", "OccurredAt", "TargetHostName")
            VALUES ('default', $app, $user, $id, 'Created', $at, $host);
            """, "$app", "$user", "$id", "$at", "$host");
        _appendDismissal = Prepare("""
            INSERT INTO "ChangeLog" ("TenantId", "AppId", "UserId", "NotificationId", "ChangeType", "RemovedReason", "OccurredAt", "TargetHostName")
            SELECT 'default', $app, $user, $id, 'Deleted', 'Changed', $at, n."TargetHostName" FROM "Notifications" AS n WHERE n."Id" = $id;
            """, "$app", "$user", "$id", "$at");
        // A fan-out: the entries of the links that are new, then the links, each one statement over the JSON list.
        _fanOutChanges = Prepare("""
            INSERT INTO "ChangeLog" ("TenantId", "AppId", "UserId", "NotificationId", "ChangeType", "OccurredAt", "TargetHostName")
            SELECT 'default', $app, u.value, $id, 'Created', $at, $host FROM json_each($users) AS u
            WHERE NOT EXISTS (SELECT 1 FROM "UserNotificationLinks" AS l WHERE l."TenantId" = 'default' AND l."UserId" = u.value AND l."NotificationId" = $id);
            """, "$app", "$id", "$at", "$host", "$users");
        _fanOutLinks = Prepare("""
            INSERT OR IGNORE INTO "UserNotificationLinks" ("TenantId", "NotificationId", "UserId", "AppId", "CreatedAt")
            SELECT 'default', $id, u.value, $app, $createdAt FROM json_each($users) AS u;
            """, "$id", "$app", "$createdAt", "$users");
        _thread = new Thread(Run) { IsBackground = true, Name = "group commit" };
        _thread.Start();
    }

    /// <summary>Stores a new notification, linked into <paramref name="userId"/>'s feed; returns its id once committed.</summary>
    public Task<bool> CreateAsync(string id, NewNotification notification, string appId, string userId, long createdAt, long expiresAt) =>
        Enqueue(new Write(WriteKind.Create, id, appId, userId, createdAt, expiresAt, notification));

    /// <summary>Links one of the app's live notifications into a user's feed; false when there is no such notification.</summary>
    public Task<bool> LinkAsync(string notificationId, string appId, string userId, long now) =>
        Enqueue(new Write(WriteKind.Link, notificationId, appId, userId, now, 0, null));

    /// <summary>Removes a live notification of the app from a user's feed; false when it was not there.</summary>
    public Task<bool> UnlinkAsync(string notificationId, string appId, string userId, long now) =>
        Enqueue(new Write(WriteKind.Unlink, notificationId, appId, userId, now, 0, null));

    /// <summary>Links a live notification of the app into the feed of each user of <paramref name="usersJson"/> (a JSON array); false when there is no such notification.</summary>
    public Task<bool> AddRecipientsAsync(string notificationId, string appId, string usersJson, long now) =>
        Enqueue(new Write(WriteKind.AddRecipients, notificationId, appId, usersJson, now, 0, null));

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join(TimeSpan.FromSeconds(5));
        _connection.Dispose();
    }

    private Task<bool> Enqueue(Write write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            throw new InvalidOperationException("The writer has stopped.");
        }

        return write.Done.Task;
    }

    private void Run()
    {
        var batch = new List<Write>(_maxBatch);
        var results = new List<bool>(_maxBatch);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            try
            {
                using var transaction = _connection.BeginTransaction();
                foreach (var write in batch)
                {
                    results.Add(Execute(write, transaction));
                }

                transaction.Commit();
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                batch.ForEach(w => w.Done.TrySetException(ex));
            }

            batch.Clear();
            results.Clear();
        }
    }

    private bool Execute(Write write, SqliteTransaction transaction)
    {
        switch (write.Kind)
        {
            case WriteKind.Create:
                var n = write.Notification!;
                Run(_insert, transaction, write.Id, write.AppId, write.Time, n.DisplayTimeToLive, Dynamic(n), write.ExpiresAt, n.GroupName,
                    n.Priority, n.TargetHostName, n.RawContent, n.PlatformTypes is null ? null : JsonSerializer.Serialize(n.PlatformTypes, BaselineJson.Relaxed.ListString),
                    n.Body, n.Title);
                Run(_insertLink, transaction, write.Id, write.UserId, write.AppId, write.Time);
                Run(_appendChange, transaction, write.AppId, write.UserId, write.Id, write.Time, n.TargetHostName);
                return true;
            case WriteKind.Link or WriteKind.AddRecipients:
                _findLive.Transaction = transaction;
                Bind(_findLive, write.Id, write.AppId, write.Time);
                long createdAt;
                string host;
                using (var live = _findLive.ExecuteReader())
                {
                    if (!live.Read())
                    {
                        return false;
                    }

                    (createdAt, host) = (live.GetInt64(0), live.GetString(1));
                }

                if (write.Kind == WriteKind.AddRecipients)
                {
                    // UserId holds the list of users, as a JSON array.
                    Run(_fanOutChanges, transaction, write.AppId, write.Id, write.Time, host, write.UserId);
                    Run(_fanOutLinks, transaction, write.Id, write.AppId, createdAt, write.UserId);
                }
                else if (Run(_link, transaction, write.Id, write.UserId, write.AppId, createdAt) > 0)
                {
                    Run(_appendChange, transaction, write.AppId, write.UserId, write.Id, write.Time, host);
                }

                return true;
            default:
                if (Run(_unlink, transaction, write.UserId, write.Id, write.AppId, write.Time) == 0)
                {
                    return false;
                }

                Run(_appendDismissal, transaction, write.AppId, write.UserId, write.Id, write.Time);
                return true;
        }
    }

    private static string Dynamic(NewNotification notification) =>
        notification.Dynamic is null ? "{}" : JsonSerializer.Serialize(notification.Dynamic, BaselineJson.Relaxed.DictionaryStringJsonElement);

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static int Run(SqliteCommand command, SqliteTransaction transaction, params object?[] values)
    {
        command.Transaction = transaction;
        Bind(command, values);
        return command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private enum WriteKind
    {
        Create,
        Link,
        Unlink,
        AddRecipients,
    }

    private sealed record Write(WriteKind Kind, string Id, string AppId, string UserId, long Time, long ExpiresAt, NewNotification? Notification)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

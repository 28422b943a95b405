using System.Data.Common;
using System.Globalization;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GraphNotifications.Api.Subscriptions.Delivery;

/// <summary>
/// Claims due subscriptions for this instance: live, not marked failed, past their backoff, unclaimed or with a
/// lapsed claim, and with change-log entries after their position. The claim (instance id, lease) is written in the
/// statement that picks the rows; on PostgreSQL the pick locks them with <c>FOR UPDATE SKIP LOCKED</c>, so instances
/// claiming at once take different subscriptions and never wait for each other. SQLite has one writer at a time and
/// takes the same statement without the lock clause.
/// </summary>
internal static class DeliveryClaims
{
    private const string Due = """
        s."ExpiresAt" > @now AND s."DeliveryFailedAt" IS NULL AND s."NextAttemptAt" <= @now
        AND (s."ClaimedBy" IS NULL OR s."ClaimExpiresAt" <= @now)
        AND EXISTS (SELECT 1 FROM "ChangeLog" c WHERE c."TenantId" = s."TenantId" AND c."AppId" = s."ApplicationId"
                    AND c."UserId" = s."ResourceUserId" AND {0})
        """;

    // After the delivered position, and on PostgreSQL readable (ChangeLogVisibility): a subscription whose next entry
    // is still being committed is not claimed, or the deliverer would read nothing and the claim come straight back.
    private const string SqliteAfter = """c."Sequence" > s."DeliveredThrough" """;

    private static readonly string PostgresAfter = $"""
        (c."TransactionId", c."Sequence") > (s."DeliveredThroughTransaction", s."DeliveredThrough")
        AND c."TransactionId" < {ChangeLogVisibility.CompleteBelow}
        """;

    /// <summary>The ids of up to <paramref name="max"/> subscriptions now claimed by <paramref name="instanceId"/>.</summary>
    public static async Task<List<string>> ClaimAsync(NotificationsDbContext db, string instanceId, DateTimeOffset now, TimeSpan lease, int max,
        CancellationToken cancellationToken)
    {
        string due = string.Format(CultureInfo.InvariantCulture, Due, db.Database.IsNpgsql() ? PostgresAfter : SqliteAfter);
        // A read first: the poll finds nothing most of the time, and on SQLite a read takes no write lock.
        var found = await ExecuteAsync(db, $"""SELECT s."Id" FROM "Subscriptions" s WHERE {due} LIMIT 1""", instanceId, now, lease, max, cancellationToken);
        if (found.Count == 0)
        {
            return [];
        }

        string lockClause = db.Database.IsNpgsql() ? "FOR UPDATE SKIP LOCKED" : string.Empty;
        string claim = $"""
            UPDATE "Subscriptions" SET "ClaimedBy" = @instance, "ClaimExpiresAt" = @lease
            WHERE "Id" IN (SELECT s."Id" FROM "Subscriptions" s WHERE {due} ORDER BY s."NextAttemptAt" LIMIT @max {lockClause})
            RETURNING "Id"
            """;
        if (!db.Database.IsNpgsql())
        {
            return await ExecuteAsync(db, claim, instanceId, now, lease, max, cancellationToken);
        }

        // A short transaction of its own: the locks end as the claim commits.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = await ExecuteAsync(db, claim, instanceId, now, lease, max, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    private static async Task<List<string>> ExecuteAsync(NotificationsDbContext db, string sql, string instanceId, DateTimeOffset now, TimeSpan lease, int max,
        CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            Add(command, "now", now.UtcTicks);
            Add(command, "lease", (now + lease).UtcTicks);
            Add(command, "instance", instanceId);
            Add(command, "max", max);
            var ids = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

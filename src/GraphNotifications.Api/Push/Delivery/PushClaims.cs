using System.Data.Common;
using GraphNotifications.Api.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GraphNotifications.Api.Push.Delivery;

/// <summary>
/// Claims a batch of pending pushes for this instance, in one statement: due (past their backoff), unclaimed or with a
/// lapsed claim, and each the first pending push of its endpoint, so an endpoint's pushes go one after another, in
/// order, and a batch holds at most one per endpoint. On PostgreSQL the pick locks its rows with
/// <c>FOR UPDATE SKIP LOCKED</c>: instances claiming at once take different pushes and never wait for each other, and
/// a push claimed by one is not due for another until its lease lapses. SQLite has one writer at a time.
/// </summary>
internal static class PushClaims
{
    // The unary plus keeps SQLite's planner off the NextAttemptAt index: through it, every pending push is due, so
    // it read them all and sorted them for ORDER BY "Sequence" LIMIT @max, holding the write lock for a time that
    // grows with the outbox (a fan-out's 100,000 pushes). In key order the first due pushes come first.
    private const string Due = """
        +p."NextAttemptAt" <= @now AND (p."ClaimedBy" IS NULL OR p."ClaimExpiresAt" <= @now)
        AND NOT EXISTS (SELECT 1 FROM "PendingPushes" q WHERE q."EndpointId" = p."EndpointId" AND q."Sequence" < p."Sequence")
        """;

    public static async Task<List<long>> ClaimAsync(NotificationsDbContext db, string instanceId, DateTimeOffset now, TimeSpan lease, int max,
        CancellationToken cancellationToken)
    {
        // A read first: most polls find nothing, and on SQLite a read takes no write lock.
        if ((await ExecuteAsync(db, $"""SELECT p."Sequence" FROM "PendingPushes" p WHERE {Due} LIMIT 1""", instanceId, now, lease, max, cancellationToken)).Count == 0)
        {
            return [];
        }

        string lockClause = db.Database.IsNpgsql() ? "FOR UPDATE SKIP LOCKED" : string.Empty;
        string claim = $"""
            UPDATE "PendingPushes" SET "ClaimedBy" = @instance, "ClaimExpiresAt" = @lease
            WHERE "Sequence" IN (SELECT p."Sequence" FROM "PendingPushes" p WHERE {Due} ORDER BY p."Sequence" LIMIT @max {lockClause})
            RETURNING "Sequence"
            """;
        if (!db.Database.IsNpgsql())
        {
            return await ExecuteAsync(db, claim, instanceId, now, lease, max, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await ExecuteAsync(db, claim, instanceId, now, lease, max, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private static async Task<List<long>> ExecuteAsync(NotificationsDbContext db, string sql, string instanceId, DateTimeOffset now, TimeSpan lease, int max,
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
            var claimed = new List<long>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(reader.GetInt64(0));
            }

            return claimed;
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

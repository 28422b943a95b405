using Microsoft.Data.Sqlite;
using Npgsql;

namespace GraphNotifications.Api.Errors;

/// <summary>
/// Recognizes a store that cannot take the request right now (its disk is full, it is read-only, it cannot be
/// opened or reached) among the exceptions EF Core and the database drivers throw, however deeply they are wrapped.
/// Such a failure is the service's state, not the client's fault, and retrying later can succeed: a 503.
/// </summary>
public static class StoreUnavailability
{
    // SQLite's primary result codes (the low byte of an extended code): https://sqlite.org/rescode.html
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    public static bool IsUnavailable(Exception exception) => Chain(exception).Any(current => current switch
    {
        SqliteException sqlite => IsUnavailable(sqlite),
        PostgresException postgres => IsUnavailable(postgres),
        // An NpgsqlException that is not a server's answer is the connection failing: refused, reset, timed out.
        NpgsqlException => true,
        _ => false,
    });

    /// <summary>Whether SQLite refused a write because its file, or the connection's view of it, is read-only.</summary>
    public static bool IsSqliteReadOnly(Exception exception) =>
        Chain(exception).Any(current => current is SqliteException sqlite && PrimaryCode(sqlite) == SqliteReadOnly);

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }

    private static int PrimaryCode(SqliteException exception) => exception.SqliteExtendedErrorCode & 0xFF;

    private static bool IsUnavailable(SqliteException exception) =>
        PrimaryCode(exception) is SqliteFull or SqliteReadOnly or SqliteIoError or SqliteCantOpen
            or SqliteBusy or SqliteLocked;

    // PostgreSQL's SQLSTATE classes: https://www.postgresql.org/docs/current/errcodes-appendix.html
    private static bool IsUnavailable(PostgresException exception) =>
        exception.SqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources: 53100 disk_full, 53200 out_of_memory, 53300 too_many_connections
        || exception.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
        || exception.SqlState is PostgresErrorCodes.ReadOnlySqlTransaction // 25006: a standby, or default_transaction_read_only
            or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow;
}

using GraphNotifications.Api.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// Which store failures are a 503 (the store cannot take the request now; a retry may succeed) rather than a 500,
/// as the drivers raise them and as EF Core wraps them. The real engine's SQLITE_FULL is exercised end to end by
/// <see cref="StoreFullTests"/>.
/// </summary>
public sealed class StoreUnavailabilityTests
{
    [Theory]
    [InlineData(13, 13)] // SQLITE_FULL
    [InlineData(8, 8)] // SQLITE_READONLY
    [InlineData(8, 1032)] // SQLITE_READONLY_DBMOVED
    [InlineData(10, 778)] // SQLITE_IOERR_WRITE
    [InlineData(10, 3338)] // SQLITE_IOERR_FSYNC
    [InlineData(14, 14)] // SQLITE_CANTOPEN
    [InlineData(5, 5)] // SQLITE_BUSY, past the busy timeout
    public void SQLite_full_read_only_I_O_and_open_failures_are_unavailability_also_inside_a_DbUpdateException(int code, int extended)
    {
        var sqlite = new SqliteException("SQLite Error", code, extended);

        Assert.True(StoreUnavailability.IsUnavailable(sqlite));
        Assert.True(StoreUnavailability.IsUnavailable(new DbUpdateException("An error occurred while saving the entity changes.", sqlite)));
    }

    [Theory]
    [InlineData(19, 2067)] // SQLITE_CONSTRAINT_UNIQUE: a conflict the store handles, not an outage
    [InlineData(1, 1)] // SQLITE_ERROR: a bad statement is the service's bug
    public void Other_SQLite_failures_are_not(int code, int extended) =>
        Assert.False(StoreUnavailability.IsUnavailable(new DbUpdateException("", new SqliteException("SQLite Error", code, extended))));

    [Theory]
    [InlineData("53100")] // disk_full
    [InlineData("53200")] // out_of_memory
    [InlineData("53300")] // too_many_connections
    [InlineData("25006")] // read_only_sql_transaction: a standby, or default_transaction_read_only
    [InlineData("08006")] // connection_failure
    [InlineData("57P01")] // admin_shutdown
    [InlineData("57P03")] // cannot_connect_now
    public void PostgreSQL_disk_full_read_only_and_connection_failures_are_unavailability(string sqlState) =>
        Assert.True(StoreUnavailability.IsUnavailable(new DbUpdateException("", new PostgresException("", "ERROR", "ERROR", sqlState))));

    [Theory]
    [InlineData("23505")] // unique_violation
    [InlineData("23503")] // foreign_key_violation
    [InlineData("42P01")] // undefined_table
    public void Other_PostgreSQL_errors_are_not(string sqlState) =>
        Assert.False(StoreUnavailability.IsUnavailable(new DbUpdateException("", new PostgresException("", "ERROR", "ERROR", sqlState))));

    [Fact]
    public void A_connection_that_fails_before_the_server_answers_is_unavailability() =>
        Assert.True(StoreUnavailability.IsUnavailable(new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111))));

    [Fact]
    public void Other_exceptions_are_not() =>
        Assert.False(StoreUnavailability.IsUnavailable(new InvalidOperationException("", new ArgumentException())));
}

using System.Runtime.CompilerServices;
using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>
/// A database of its own on the PostgreSQL server that <see cref="Variable"/> names (a connection string of a role
/// that may <c>CREATE DATABASE</c>; <c>.ci/run</c> starts such a server and sets it). Created with a unique name when
/// the fixture is made, dropped when it is disposed, so that runs and test classes never see each other's rows.
/// </summary>
/// <remarks>
/// Without the variable the PostgreSQL tests skip, saying why, once a run in the default <c>dotnet test</c> output (a
/// diagnostic message, which xunit.runner.json lets through; a skip reason shows only at detailed verbosity); under CI (<c>CI=true</c>) they fail instead, since
/// there a missing server means the run would prove nothing about PostgreSQL.
/// </remarks>
public sealed class PostgresTestDatabase : IDisposable
{
    public const string Variable = "GRAPHNOTIFICATIONS_TEST_POSTGRES";

    private readonly string? _serverConnectionString;
    private readonly string? _connectionString;
    private bool _dropped;

    /// <summary>The sinks told already: xunit hands every fixture of a run the same one.</summary>
    private static readonly ConditionalWeakTable<IMessageSink, object> Told = [];

    /// <param name="diagnostics">xunit's diagnostic sink, which it passes to a fixture's constructor.</param>
    public PostgresTestDatabase(IMessageSink diagnostics)
    {
        _serverConnectionString = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;
        if (_serverConnectionString is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"CI=true but {Variable} is not set: the PostgreSQL tests must run in CI. {HowToRun}");
            }

            if (Told.TryAdd(diagnostics, Told))
            {
                diagnostics.OnMessage(new DiagnosticMessage(Notice));
            }

            return;
        }

        Name = "graphnotifications_test_" + Guid.NewGuid().ToString("N");
        Execute($"CREATE DATABASE \"{Name}\"");
        _connectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = Name }.ConnectionString;
    }

    /// <summary>The database's name; null when no server is configured.</summary>
    public string? Name { get; }

    /// <summary>The connection string of this fixture's own database.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException(SkipReason);

    /// <summary>The one line a run without a server prints.</summary>
    public static string Notice => $"PostgreSQL tests skipped: {Variable} is not set. {HowToRun}";

    private static string SkipReason => $"No PostgreSQL server: {Variable} is not set. {HowToRun}";

    private static string HowToRun =>
        $"Set {Variable} to the connection string of a role that may create databases, e.g. " +
        "\"Host=127.0.0.1;Port=5432;Database=postgres;Username=graphnotifications;Password=…\" (docs/postgresql.md); " +
        ".ci/run starts a throwaway server and sets it.";

    /// <summary>Skips the calling test (a <c>[SkippableFact]</c>) when no server is configured.</summary>
    public void SkipUnlessAvailable() => Skip.If(_connectionString is null, SkipReason);

    public void Dispose()
    {
        if (_connectionString is null || _dropped)
        {
            return;
        }

        _dropped = true;
        NpgsqlConnection.ClearAllPools();
        // Not DROP … WITH (FORCE): PostgreSQL 15 refuses it to a role that is not a superuser (42501) while an
        // autovacuum worker is in the database. A plain DROP stops autovacuum itself; sessions of this role that
        // remain (a killed service's, whose end the server has not noticed yet) are ended first, and again if one races.
        for (int attempt = 1; ; attempt++)
        {
            Execute(EndSessionsSql(Name!));
            try
            {
                Execute($"DROP DATABASE IF EXISTS \"{Name}\"");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                Thread.Sleep(250);
            }
        }
    }

    /// <summary>
    /// SQL that ends the client sessions on <paramref name="database"/> other than its own. Only client backends:
    /// ending an autovacuum worker is a superuser's right, and the tests' role is not one (as in CI).
    /// </summary>
    public static string EndSessionsSql(string database) =>
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity " +
        $"WHERE datname = '{database.Replace("'", "''", StringComparison.Ordinal)}' AND backend_type = 'client backend' AND pid <> pg_backend_pid()";

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_serverConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

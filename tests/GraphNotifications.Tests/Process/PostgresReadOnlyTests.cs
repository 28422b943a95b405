using System.Net;
using GraphNotifications.Tests.Infrastructure;
using Npgsql;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// A PostgreSQL database that turns read-only under the running service, as a primary demoted to a standby does:
/// <c>default_transaction_read_only</c> set on the database and the service's sessions ended, so every new session
/// refuses writes with the server's own 25006. Writes are 503s, reads go on, readiness says so, and writes succeed
/// again when the database is writable.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class PostgresReadOnlyTests : IClassFixture<PostgresTestDatabase>
{
    private const string App = "pg-readonly-app", User = "pg-readonly-user";
    private const int Attempts = 100;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly PostgresTestDatabase _database;

    public PostgresReadOnlyTests(PostgresTestDatabase database)
    {
        database.SkipUnlessAvailable();
        _database = database;
    }

    [SkippableFact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task A_read_only_database_answers_writes_503_serves_reads_and_takes_writes_again_when_writable()
    {
        await using var service = await ServiceProcess.StartOnPostgresAsync(_database.ConnectionString);
        using var client = service.Delegated(User, App);
        using var anonymous = service.ClientWith(token: null);
        var stored = new List<string> { await client.CreateAsync("me/notifications") };

        SetReadOnly(true);
        try
        {
            // The first writes may meet pooled sessions the server ended (57P01); then new sessions are read-only
            // (25006). Each is a 503 that stores nothing.
            for (int attempt = 0; attempt < Attempts && !service.Output.Contains("25006", StringComparison.Ordinal); attempt++)
            {
                var refused = await client.PostAsync("me/notifications", Bodies.Minimal($"refused {attempt}"));
                await service.AssertStatusAsync(HttpStatusCode.ServiceUnavailable, refused);
                Assert.Equal("serviceUnavailable", (await refused.ReadObjectAsync()).ErrorCode());
                Assert.NotNull(refused.Headers.RetryAfter);
                await Task.Delay(Poll);
            }

            await service.WaitForOutputAsync("25006");

            await service.AssertStatusAsync(HttpStatusCode.OK, await client.GetAsync($"me/notifications/{stored[0]}"));
            Assert.Equal(stored, await client.FeedIdsAsync());
            await service.AssertStatusAsync(HttpStatusCode.ServiceUnavailable, await anonymous.GetAsync(new Uri(service.BaseAddress, "/health/ready")));
        }
        finally
        {
            SetReadOnly(false);
        }

        var resumed = await client.PostOnceWritableAsync(Bodies.Minimal("after"), Attempts);

        await service.AssertStatusAsync(HttpStatusCode.Created, resumed);
        stored.Add((await resumed.ReadObjectAsync())["id"]!.GetValue<string>());
        await service.AssertStatusAsync(HttpStatusCode.OK, await anonymous.GetAsync(new Uri(service.BaseAddress, "/health/ready")));

        await service.RestartAsync();
        using var restarted = service.Delegated(User, App);
        Assert.Equal(stored.Order(), (await restarted.FeedIdsAsync()).Order());
    }


    /// <summary>Sets the database's default for new sessions and ends the service's sessions, so each new one has it.</summary>
    private void SetReadOnly(bool readOnly)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        // This session too starts read-only once the database is; its own setting outranks the database's.
        using (var writable = new NpgsqlCommand("SET default_transaction_read_only = off", connection))
        {
            writable.ExecuteNonQuery();
        }

        using var alter = new NpgsqlCommand($"ALTER DATABASE \"{_database.Name}\" SET default_transaction_read_only = {(readOnly ? "on" : "off")}", connection);
        alter.ExecuteNonQuery();
        using var end = new NpgsqlCommand(PostgresTestDatabase.EndSessionsSql(_database.Name!), connection);
        end.ExecuteNonQuery();
    }
}

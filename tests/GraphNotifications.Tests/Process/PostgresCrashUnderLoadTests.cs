using GraphNotifications.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// The crash rounds of <see cref="CrashUnderLoadTests"/> on PostgreSQL: the service process SIGKILLed under load,
/// restarted on the same database, audited against the client's log.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class PostgresCrashUnderLoadTests : IClassFixture<PostgresTestDatabase>
{
    private readonly PostgresTestDatabase _database;
    private readonly ITestOutputHelper _output;

    public PostgresCrashUnderLoadTests(PostgresTestDatabase database, ITestOutputHelper output)
    {
        database.SkipUnlessAvailable();
        _database = database;
        _output = output;
    }

    [SkippableFact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task Three_SIGKILLs_at_random_moments_under_load_lose_no_acknowledged_change_and_half_apply_none_on_PostgreSQL()
    {
        await using var service = await ServiceProcess.StartOnPostgresAsync(_database.ConnectionString);

        var figures = await new CrashRounds(service, _output).RunAsync(rounds: 3, CheckDatabase);

        Assert.Equal(0, figures.Lost);
        Assert.True(figures.Acknowledged > 0, "No request was acknowledged before the kills: the load proved nothing.");
    }

    /// <summary>The database after the crash: no link without its notification.</summary>
    private List<string> CheckDatabase()
    {
        using var connection = new NpgsqlConnection(_database.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(
            """SELECT COUNT(*) FROM "UserNotificationLinks" l WHERE NOT EXISTS (SELECT 1 FROM "Notifications" n WHERE n."Id" = l."NotificationId")""",
            connection);
        long orphans = (long)command.ExecuteScalar()!;
        return orphans == 0 ? [] : [$"{orphans} links to a missing notification"];
    }
}

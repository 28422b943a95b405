using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Npgsql;
using static GraphNotifications.Tests.Delta.DeltaSync;

namespace GraphNotifications.Tests.Delta;

/// <summary>
/// On PostgreSQL a delta sync starts where the oldest transaction still running begins, so changes that committed
/// while an older transaction ran lie after its start. The feed read shows them already: the first delta round must
/// not send them again, and must send everything that commits later exactly once.
/// </summary>
public sealed class PostgresDeltaStartTests : IClassFixture<PostgresServiceFactory>
{
    private readonly PostgresServiceFactory _service;

    public PostgresDeltaStartTests(PostgresServiceFactory service)
    {
        _service = service;
        service.Database.SkipUnlessAvailable();
    }

    [SkippableFact]
    public async Task Changes_an_initial_sync_showed_while_an_older_transaction_ran_are_not_sent_again()
    {
        var app = _service.AppOnly("delta-start-app-1");
        await using var older = await OlderTransactionAsync();
        string[] before = [await app.CreateAsync("users/delta-start-u1/notifications"), await app.CreateAsync("users/delta-start-u1/notifications")];

        var initial = await FollowAsync(app, "users/delta-start-u1/notifications/delta");
        var latest = await FollowAsync(app, "users/delta-start-u1/notifications/delta?$deltatoken=latest");
        string after = await app.CreateAsync("users/delta-start-u1/notifications");
        await older.CommitAsync();

        Assert.Equal(before.Order(StringComparer.Ordinal), initial.Items.Select(Id).Order(StringComparer.Ordinal));
        Assert.Equal([after], (await FollowUntilChangedAsync(app, initial.DeltaLink)).Items.Select(Id));
        Assert.Equal([after], (await FollowUntilChangedAsync(app, latest.DeltaLink)).Items.Select(Id));
    }

    [SkippableFact]
    public async Task A_change_that_commits_below_the_start_after_the_sync_read_is_still_sent()
    {
        var app = _service.AppOnly("delta-start-app-2");
        await using var older = await OlderTransactionAsync();
        string shown = await app.CreateAsync("users/delta-start-u2/notifications");
        var initial = await FollowAsync(app, "users/delta-start-u2/notifications/delta");

        // A change of the shown notification after the sync read: same notification, a later transaction.
        Assert.True((await app.PatchAsync($"users/delta-start-u2/notifications/{shown}", new JsonObject { ["readState"] = "read" })).IsSuccessStatusCode);
        await older.CommitAsync();

        var round = await FollowUntilChangedAsync(app, initial.DeltaLink);
        Assert.Equal([shown], round.Items.Select(Id));
        Assert.Equal("read", round.Items[0]["readState"]!.GetValue<string>());
    }

    /// <summary>A transaction of another client on the same database, with an id, left open: it holds the start back.</summary>
    private async Task<OlderTransaction> OlderTransactionAsync()
    {
        var connection = new NpgsqlConnection(_service.Database.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("SELECT pg_current_xact_id()", connection, transaction);
        await command.ExecuteScalarAsync();
        return new OlderTransaction(connection, transaction);
    }

    private sealed class OlderTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public Task CommitAsync() => transaction.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

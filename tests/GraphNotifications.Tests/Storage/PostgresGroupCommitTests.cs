using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using GraphNotifications.Tests.Process;
using Npgsql;

namespace GraphNotifications.Tests.Storage;

/// <summary>
/// On PostgreSQL concurrent creates are committed in groups by the service's own batched inserts, not by EF Core
/// saves: the rows must be the ones a save writes, creates waiting together share a transaction, and a create the
/// database refuses fails alone while the others of its group are stored.
/// </summary>
public sealed class PostgresGroupCommitTests(PostgresServiceFactory service) : IClassFixture<PostgresServiceFactory>
{
    private const int Concurrent = 48;

    [SkippableFact]
    public async Task A_create_stores_the_same_columns_and_reads_back_the_same_as_a_create_saved_by_EF_Core()
    {
        service.Database.SkipUnlessAvailable();
        var client = service.Delegated("pg-insert-user", "pg-insert-app");
        var body = Bodies.CorrectedSeed();
        body["targetPolicy"]!["platformTypes"] = new JsonArray("windows", "webpush");
        body["build"] = 42;
        body["ratio"] = 0.5;
        body["branch"] = "main";

        var inserted = await client.PostAsync("me/notifications", body);
        // An Idempotency-Key opens a transaction of the request's own, which an EF Core save commits.
        var request = new HttpRequestMessage(HttpMethod.Post, "me/notifications") { Content = Bodies.Json(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "pg-insert-key");
        var saved = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, inserted.StatusCode);
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        string insertedId = (await inserted.ReadObjectAsync())["id"]!.GetValue<string>();
        string savedId = (await saved.ReadObjectAsync())["id"]!.GetValue<string>();
        Assert.Equal(Without(await (await client.GetAsync($"me/notifications/{savedId}")).ReadObjectAsync()),
            Without(await (await client.GetAsync($"me/notifications/{insertedId}")).ReadObjectAsync()));
        Assert.Equal(await RowAsync("Notifications", "Id", savedId), await RowAsync("Notifications", "Id", insertedId));
        Assert.Equal(await RowAsync("UserNotificationLinks", "NotificationId", savedId), await RowAsync("UserNotificationLinks", "NotificationId", insertedId));
        Assert.Equal(await RowAsync("ChangeLog", "NotificationId", savedId), await RowAsync("ChangeLog", "NotificationId", insertedId));
    }

    [SkippableFact]
    public async Task Concurrent_creates_share_transactions_and_each_is_in_the_feed_and_its_change_log_once()
    {
        service.Database.SkipUnlessAvailable();
        var client = service.Delegated("pg-group-user", "pg-group-app");

        var ids = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(i => client.CreateAsync("me/notifications", Bodies.Minimal($"group {i}"))));

        var feed = (await client.ReadAllAsync("me/notifications?$select=id")).Select(n => n["id"]!.GetValue<string>());
        Assert.Equal(ids.Order(), feed.Order());
        var entries = await EntriesAsync("pg-group-user");
        Assert.Equal(ids.Order(), entries.Select(e => e.NotificationId).Order());
        Assert.Contains(entries.GroupBy(e => e.TransactionId), transaction => transaction.Count() > 1);
    }

    [SkippableFact]
    public async Task A_create_the_database_refuses_fails_alone_and_the_creates_waiting_with_it_are_stored()
    {
        service.Database.SkipUnlessAvailable();
        // The database's own refusal of one row, as a constraint the service does not know of would give.
        await ExecuteAsync("""
            CREATE FUNCTION refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW."Title" = 'refused by the database' THEN RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_marked BEFORE INSERT ON "Notifications" FOR EACH ROW EXECUTE FUNCTION refuse_marked();
            """);
        try
        {
            var client = service.Delegated("pg-refuse-user", "pg-refuse-app");
            var answers = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(i =>
                client.PostAsync("me/notifications", Bodies.Minimal(i % 16 == 5 ? "refused by the database" : $"kept {i}"))));

            var refused = answers.Where((_, i) => i % 16 == 5).ToList();
            var kept = answers.Where((_, i) => i % 16 != 5).ToList();
            Assert.All(refused, a => Assert.NotEqual(HttpStatusCode.Created, a.StatusCode));
            Assert.All(kept, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
            var keptIds = await Task.WhenAll(kept.Select(async a => (await a.ReadObjectAsync())["id"]!.GetValue<string>()));
            var feed = (await client.ReadAllAsync("me/notifications?$select=id")).Select(n => n["id"]!.GetValue<string>());
            Assert.Equal(keptIds.Order(), feed.Order());
            Assert.Equal(keptIds.Order(), (await EntriesAsync("pg-refuse-user")).Select(e => e.NotificationId).Order());
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER refuse_marked ON \"Notifications\"; DROP FUNCTION refuse_marked();");
        }
    }

    private static string Without(JsonObject notification)
    {
        notification.Remove("id");
        notification.Remove("@odata.etag");
        // Both name the notification by its id, and each has its own creation time.
        notification.Remove("@odata.id");
        notification.Remove("@odata.editLink");
        notification.Remove("createdDateTime");
        return notification.ToJsonString();
    }

    // Every column of the row, its type and value, but the ones that differ between two creates by design.
    private async Task<List<string>> RowAsync(string table, string key, string id)
    {
        await using var connection = new NpgsqlConnection(service.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT * FROM \"{table}\" WHERE \"{key}\" = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var row = new List<string>();
        for (int i = 0; i < reader.FieldCount; i++)
        {
            string name = reader.GetName(i);
            if (name is "Id" or "NotificationId" or "CreatedAt" or "CreatedDateTime" or "OccurredAt" or "Sequence" or "TransactionId")
            {
                continue;
            }

            row.Add($"{name}: {reader.GetDataTypeName(i)} {(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i) is Array array ? string.Join(",", array.Cast<object>()) : reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))}");
        }

        Assert.False(await reader.ReadAsync());
        return row;
    }

    private async Task<List<(string NotificationId, long TransactionId)>> EntriesAsync(string userId)
    {
        await using var connection = new NpgsqlConnection(service.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"NotificationId\", \"TransactionId\" FROM \"ChangeLog\" WHERE \"UserId\" = @user", connection);
        command.Parameters.AddWithValue("user", userId);
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<(string, long)>();
        while (await reader.ReadAsync())
        {
            entries.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return entries;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(service.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

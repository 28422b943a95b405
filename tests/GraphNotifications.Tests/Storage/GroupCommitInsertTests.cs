using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace GraphNotifications.Tests.Storage;

/// <summary>
/// On SQLite a create is inserted by the writer's prepared commands, not by an EF Core save: the rows must be the ones
/// a save writes (a create with an <c>Idempotency-Key</c> still goes through EF Core in its own transaction).
/// </summary>
public sealed class GroupCommitInsertTests(SqliteStoreFactory service) : IClassFixture<SqliteStoreFactory>
{
    [Fact]
    public async Task A_create_stores_the_same_columns_and_reads_back_the_same_as_a_create_saved_by_EF_Core()
    {
        var client = service.Delegated("insert-user", "insert-app");
        var body = Bodies.CorrectedSeed();
        body["targetPolicy"]!["platformTypes"] = new JsonArray("windows", "webpush");
        body["build"] = 42;
        body["ratio"] = 0.5;
        body["branch"] = "main";

        var inserted = await client.PostAsync("me/notifications", body);
        var request = new HttpRequestMessage(HttpMethod.Post, "me/notifications") { Content = Bodies.Json(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "insert-key");
        var saved = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, inserted.StatusCode);
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        string insertedId = (await inserted.ReadObjectAsync())["id"]!.GetValue<string>();
        string savedId = (await saved.ReadObjectAsync())["id"]!.GetValue<string>();
        Assert.Equal(Without(await (await client.GetAsync($"me/notifications/{savedId}")).ReadObjectAsync()),
            Without(await (await client.GetAsync($"me/notifications/{insertedId}")).ReadObjectAsync()));
        Assert.Equal(Row("Notifications", "Id", savedId), Row("Notifications", "Id", insertedId));
        Assert.Equal(Row("UserNotificationLinks", "NotificationId", savedId), Row("UserNotificationLinks", "NotificationId", insertedId));
        Assert.Equal(Row("ChangeLog", "NotificationId", savedId), Row("ChangeLog", "NotificationId", insertedId));
    }

    private static string Without(JsonObject notification)
    {
        notification.Remove("id");
        notification.Remove("@odata.etag");
        // Both name the notification by its id (the feed's edit link), and each has its own creation time.
        notification.Remove("@odata.id");
        notification.Remove("@odata.editLink");
        notification.Remove("createdDateTime");
        return notification.ToJsonString();
    }

    // Every column of the row, its type and value, but the ones that differ between two creates by design.
    private List<string> Row(string table, string key, string id)
    {
        using var connection = new SqliteConnection(service.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" WHERE \"{key}\" = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        var row = new List<string>();
        for (int i = 0; i < reader.FieldCount; i++)
        {
            string name = reader.GetName(i);
            if (name is "Id" or "NotificationId" or "CreatedAt" or "CreatedDateTime" or "OccurredAt" or "Sequence")
            {
                continue;
            }

            row.Add($"{name}: {reader.GetDataTypeName(i)} {reader.GetValue(i)}");
        }

        Assert.False(reader.Read());
        return row;
    }
}

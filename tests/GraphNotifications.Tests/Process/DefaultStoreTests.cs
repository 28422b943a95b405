using System.Net;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace GraphNotifications.Tests.Process;

/// <summary>With no connection string, the service keeps its store in ./data/notifications.db of its working directory.</summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class DefaultStoreTests
{
    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task Without_a_connection_string_the_first_run_creates_the_store_at_data_notifications_db_of_the_working_directory()
    {
        await using var service = await ServiceProcess.StartAsync(withConnectionString: false);
        string expected = Path.Combine(service.WorkingDirectory, "data", "notifications.db");

        string id;
        using (var client = service.Delegated("default-store-user", "default-store-app"))
        {
            var response = await client.PostAsync("me/notifications", Bodies.Minimal("Stored by default"));
            await service.AssertStatusAsync(HttpStatusCode.Created, response);
            id = (await response.ReadObjectAsync())["id"]!.GetValue<string>();
        }

        service.Kill();

        Assert.True(File.Exists(expected), $"No store at {expected}; the working directory holds: " +
            string.Join(", ", Directory.EnumerateFileSystemEntries(service.WorkingDirectory, "*", SearchOption.AllDirectories)));
        Assert.Equal(1L, CountNotifications(expected, id));
    }

    // Read with SQLite directly: the file is the store the service wrote to, not merely a file that exists.
    private static long CountNotifications(string databasePath, string id)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Notifications WHERE Id = $id";
        command.Parameters.AddWithValue("$id", id);
        return (long)command.ExecuteScalar()!;
    }
}

using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// Nothing acknowledged is lost, and nothing is half-applied, when the real service on a real SQLite file is killed
/// with SIGKILL under concurrent load: rounds of creates, links, dismissals and deletes from 8 workers, each killed
/// at a random moment, restarted, and audited against the client's log. The figures go to the test output.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class CrashUnderLoadTests(ITestOutputHelper output)
{
    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task Five_SIGKILLs_at_random_moments_under_load_lose_no_acknowledged_change_and_half_apply_none_on_SQLite()
    {
        await using var service = await ServiceProcess.StartAsync();

        var figures = await new CrashRounds(service, output).RunAsync(rounds: 5, () => CheckFile(service.DatabasePath));

        Assert.Equal(0, figures.Lost);
        Assert.True(figures.Acknowledged > 0, "No request was acknowledged before the kills: the load proved nothing.");
    }

    /// <summary>The file as SQLite itself opens it after the crash: intact, and no link without its notification.</summary>
    private static List<string> CheckFile(string path)
    {
        var problems = new List<string>();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        string integrity = Scalar(connection, "PRAGMA integrity_check");
        if (integrity != "ok")
        {
            problems.Add($"PRAGMA integrity_check: {integrity}");
        }

        string orphans = Scalar(connection,
            "SELECT COUNT(*) FROM UserNotificationLinks l WHERE NOT EXISTS (SELECT 1 FROM Notifications n WHERE n.Id = l.NotificationId)");
        if (orphans != "0")
        {
            problems.Add($"{orphans} links to a missing notification");
        }

        return problems;
    }

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// A full store, on the real process and a real SQLite file: SQLite's own quota (<c>Storage:Sqlite:MaxPageCount</c>,
/// <c>PRAGMA max_page_count</c>) is lowered to just above the file's size while the service runs, so the engine
/// itself refuses the next writes with SQLITE_FULL, as on a full disk. Writes are 503s that change nothing, reads go
/// on, readiness says so, and when the quota is raised the service takes writes again without a restart.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class StoreFullTests
{
    private const string App = "full-app", User = "full-user";
    private const int Attempts = 200;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task A_full_store_answers_writes_503_serviceUnavailable_serves_reads_and_takes_writes_again_when_space_returns()
    {
        await using var service = await ServiceProcess.StartAsync();
        // The service reads appsettings.json from its working directory and reloads it when it changes.
        string settings = Path.Combine(service.WorkingDirectory, "appsettings.json");
        using var client = service.Delegated(User, App);
        var stored = new List<string> { await client.CreateAsync("me/notifications", ServiceProcessAssertions.LargeNotification("before")) };

        long pages = PageCount(service.DatabasePath);
        await File.WriteAllTextAsync(settings, $$$"""{"Storage": {"Sqlite": {"MaxPageCount": {{{pages + 4}}} } } }""");

        // Large notifications until the engine refuses one (the quota applies once the settings have been reloaded).
        var refused = await client.PostUntilRefusedAsync(stored, Attempts, Poll);

        await service.AssertStatusAsync(HttpStatusCode.ServiceUnavailable, refused);
        var error = await refused.ReadObjectAsync();
        Assert.Equal("serviceUnavailable", error.ErrorCode());
        Assert.NotNull(error["error"]!["innerError"]!["request-id"]);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "A 503 for a full store carries Retry-After.");
        // The engine's own refusal, not a stand-in: SQLITE_FULL (13), "database or disk is full".
        await service.WaitForOutputAsync("SQLite Error 13");

        // Still full: every create is refused, and nothing of them is stored.
        await service.AssertStatusAsync(HttpStatusCode.ServiceUnavailable, await client.PostAsync("me/notifications", ServiceProcessAssertions.LargeNotification("refused")));

        // Reads keep working, and show exactly what was acknowledged.
        Assert.Equal(stored.Order(), (await client.FeedIdsAsync()).Order());
        await service.AssertStatusAsync(HttpStatusCode.OK, await client.GetAsync($"me/notifications/{stored[0]}"));
        using var anonymous = service.ClientWith(token: null);
        await service.AssertStatusAsync(HttpStatusCode.ServiceUnavailable, await anonymous.GetAsync(new Uri(service.BaseAddress, "/health/ready")));

        // Space returns: the quota is raised, and writes succeed again without a restart.
        await File.WriteAllTextAsync(settings, """{"Storage": {"Sqlite": {}}}""");
        var resumed = await client.PostOnceWritableAsync(ServiceProcessAssertions.LargeNotification("after"), Attempts);

        await service.AssertStatusAsync(HttpStatusCode.Created, resumed);
        stored.Add((await resumed.ReadObjectAsync())["id"]!.GetValue<string>());
        await service.AssertStatusAsync(HttpStatusCode.OK, await anonymous.GetAsync(new Uri(service.BaseAddress, "/health/ready")));

        // Nothing corrupted: the file checks clean, and after a restart it holds what was acknowledged, no more.
        service.Kill();
        Assert.Equal("ok", IntegrityCheck(service.DatabasePath));
        await service.RestartAsync();
        using var restarted = service.Delegated(User, App);
        Assert.Equal(stored.Order(), (await restarted.FeedIdsAsync()).Order());
    }


    private static long PageCount(string path) => Convert.ToInt64(Scalar(path, "PRAGMA page_count"), CultureInfo.InvariantCulture);

    private static string IntegrityCheck(string path) => Scalar(path, "PRAGMA integrity_check");

    private static string Scalar(string path, string sql) => ServiceProcessAssertions.SqliteScalar(path, sql);
}

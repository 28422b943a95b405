using System.Diagnostics;
using System.Net;
using GraphNotifications.Tests.Infrastructure;
using OsProcess = System.Diagnostics.Process;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// A store whose files turn read-only under the running service (<c>chattr +i</c>: immutable, even for root): writes
/// are 503s that change nothing, reads go on, and writes succeed again once the files are writable. Skipped, saying
/// why, where <c>chattr</c> cannot set the flag (not root, or a file system without it, such as tmpfs or overlayfs).
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class ReadOnlyStoreTests
{
    private const string App = "readonly-app", User = "readonly-user";
    private const int Attempts = 100;

    [SkippableFact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task A_store_made_read_only_answers_writes_503_serves_reads_and_takes_writes_again_when_writable()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var client = service.Delegated(User, App);
        var stored = new List<string> { await client.CreateAsync("me/notifications") };
        string[] files = StoreFiles(service);

        string? refusal = Chattr("+i", files);
        Skip.If(refusal is not null, $"chattr +i is not available here: {refusal}");
        try
        {
            var refused = await client.PostAsync("me/notifications", Bodies.Minimal("refused"));

            await service.AssertStatusAsync(HttpStatusCode.ServiceUnavailable, refused);
            Assert.Equal("serviceUnavailable", (await refused.ReadObjectAsync()).ErrorCode());
            Assert.NotNull(refused.Headers.RetryAfter);
            // The engine's own refusal, logged with the 503.
            await service.WaitForOutputAsync("SQLite Error");

            await service.AssertStatusAsync(HttpStatusCode.OK, await client.GetAsync($"me/notifications/{stored[0]}"));
            Assert.Equal(stored, await client.FeedIdsAsync());
        }
        finally
        {
            Assert.Null(Chattr("-i", files));
        }

        var resumed = await client.PostOnceWritableAsync(Bodies.Minimal("after"), Attempts);

        await service.AssertStatusAsync(HttpStatusCode.Created, resumed);
        stored.Add((await resumed.ReadObjectAsync())["id"]!.GetValue<string>());

        service.Kill();
        Assert.Equal("ok", IntegrityCheck(service.DatabasePath));
        await service.RestartAsync();
        using var restarted = service.Delegated(User, App);
        Assert.Equal(stored.Order(), (await restarted.FeedIdsAsync()).Order());
    }

    [SkippableFact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task Connections_opened_while_the_store_was_read_only_refuse_at_most_one_write_after()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var client = service.Delegated(User, App);
        await client.CreateAsync("me/notifications");
        string[] files = StoreFiles(service);

        string? refusal = Chattr("+i", files);
        Skip.If(refusal is not null, $"chattr +i is not available here: {refusal}");
        try
        {
            // Reads side by side make the pool open new connections now: SQLite opens them read-only.
            var reads = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.GetAsync("me/notifications")));
            Assert.All(reads, read => Assert.Equal(HttpStatusCode.OK, read.StatusCode));
        }
        finally
        {
            Assert.Null(Chattr("-i", files));
        }

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            statuses.Add((await client.PostAsync("me/notifications", Bodies.Minimal($"after-{i}"))).StatusCode);
        }

        // The first write that meets a read-only connection empties the pool; the rest open the file afresh.
        Assert.True(statuses.Count(status => status != HttpStatusCode.Created) <= 1, string.Join(", ", statuses));
        Assert.Equal(HttpStatusCode.Created, statuses[^1]);
    }

    /// <summary>
    /// The database and its write-ahead log; not the -shm index, which SQLite maps into memory (a write to an
    /// immutable mapped page is a SIGBUS, a crash rather than a read-only store).
    /// </summary>
    private static string[] StoreFiles(ServiceProcess service) =>
        [.. new[] { "", "-wal" }.Select(suffix => service.DatabasePath + suffix).Where(File.Exists)];


    /// <summary>Runs <c>chattr</c> on the files; null when it succeeded, else what it said.</summary>
    private static string? Chattr(string flag, IEnumerable<string> files)
    {
        var start = new ProcessStartInfo("chattr") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add(flag);
        foreach (string file in files)
        {
            start.ArgumentList.Add(file);
        }

        try
        {
            using var chattr = OsProcess.Start(start)!;
            string error = chattr.StandardError.ReadToEnd();
            chattr.WaitForExit();
            return chattr.ExitCode == 0 ? null : $"exit code {chattr.ExitCode}: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return ex.Message;
        }
    }

    private static string IntegrityCheck(string path) => ServiceProcessAssertions.SqliteScalar(path, "PRAGMA integrity_check");
}

using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using OsProcess = System.Diagnostics.Process;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// A disk that really fills: the real service keeps its SQLite file on a small file system of its own (a 16 MiB
/// tmpfs), which a filler file then takes up to the last byte, so the operating system itself refuses the store's
/// next writes (ENOSPC). Writes are 503s that change nothing, reads go on, readiness says so, and once the filler is
/// deleted the service takes writes again without a restart; the file is intact and holds what was acknowledged.
/// Skipped, saying why, where a file system cannot be mounted (not root, or a container without the capability).
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class DiskFullTests
{
    private const string App = "diskfull-app", User = "diskfull-user";
    private const int Attempts = 400;

    [SkippableFact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task A_full_disk_answers_writes_503_serves_reads_and_takes_writes_again_when_space_returns()
    {
        string mountPoint = Directory.CreateTempSubdirectory("graphnotifications-diskfull-").FullName;
        string? refusal = Run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mountPoint);
        if (refusal is not null)
        {
            Directory.Delete(mountPoint);
        }

        Skip.If(refusal is not null, $"a tmpfs cannot be mounted here: {refusal}");
        try
        {
            await FillAndRecoverAsync(mountPoint);
        }
        finally
        {
            Assert.Null(Run("umount", mountPoint));
            Directory.Delete(mountPoint);
        }
    }

    private static async Task FillAndRecoverAsync(string mountPoint)
    {
        string database = Path.Combine(mountPoint, ServiceProcess.DatabaseFileName);
        await using var service = await ServiceProcess.StartAsync(withConnectionString: false,
            settings: [$"ConnectionStrings:Notifications=Data Source={database}"]);
        using var client = service.Delegated(User, App);
        var stored = new List<string> { await client.CreateAsync("me/notifications", ServiceProcessAssertions.LargeNotification("before")) };

        // Every free byte of the file system goes to the filler; the store's files may still reuse the space they
        // hold (SQLite rewrites its write-ahead log from the start after a checkpoint), so create until refused.
        string filler = Path.Combine(mountPoint, "filler");
        Fill(filler);
        var refused = await client.PostUntilRefusedAsync(stored, Attempts, TimeSpan.Zero);

        await service.AssertStatusAsync(HttpStatusCode.ServiceUnavailable, refused);
        var error = await refused.ReadObjectAsync();
        Assert.Equal("serviceUnavailable", error.ErrorCode());
        Assert.NotNull(error["error"]!["innerError"]!["request-id"]);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "A 503 for a full disk carries Retry-After.");
        // The engine's report of the operating system's refusal: SQLITE_FULL (13), "database or disk is full".
        await service.WaitForOutputAsync("SQLite Error 13");

        // Still full: a small create is refused too, and nothing of the refused ones is stored.
        await service.AssertStatusAsync(HttpStatusCode.ServiceUnavailable, await client.PostAsync("me/notifications", Bodies.Minimal("refused")));
        Assert.Equal(stored.Order(), (await client.FeedIdsAsync()).Order());
        await service.AssertStatusAsync(HttpStatusCode.OK, await client.GetAsync($"me/notifications/{stored[0]}"));
        using var anonymous = service.ClientWith(token: null);
        await service.AssertStatusAsync(HttpStatusCode.ServiceUnavailable, await anonymous.GetAsync(new Uri(service.BaseAddress, "/health/ready")));
        await service.AssertStatusAsync(HttpStatusCode.OK, await anonymous.GetAsync(new Uri(service.BaseAddress, "/health/live")));

        // Space returns: writes succeed again, and readiness with them, without a restart.
        File.Delete(filler);
        var resumed = await client.PostOnceWritableAsync(ServiceProcessAssertions.LargeNotification("after"), Attempts);
        await service.AssertStatusAsync(HttpStatusCode.Created, resumed);
        stored.Add((await resumed.ReadObjectAsync())["id"]!.GetValue<string>());
        await service.AssertStatusAsync(HttpStatusCode.OK, await anonymous.GetAsync(new Uri(service.BaseAddress, "/health/ready")));

        // Nothing corrupted: the file checks clean after a crash, and the restarted service holds exactly what was
        // acknowledged.
        service.Kill();
        Assert.Equal("ok", ServiceProcessAssertions.SqliteScalar(database, "PRAGMA integrity_check"));
        await service.RestartAsync();
        using var restarted = service.Delegated(User, App);
        Assert.Equal(stored.Order(), (await restarted.FeedIdsAsync()).Order());
    }

    /// <summary>Writes <paramref name="path"/> until the file system has no byte left.</summary>
    private static void Fill(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        foreach (int chunk in new[] { 1 << 20, 1 << 12, 1 })
        {
            byte[] bytes = new byte[chunk];
            try
            {
                while (true)
                {
                    file.Write(bytes);
                }
            }
            catch (IOException)
            {
                // Full at this chunk size; the next, smaller one takes what is left.
            }
        }
    }


    /// <summary>Runs a command; null when it succeeded, else what it said.</summary>
    private static string? Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = OsProcess.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"{command}: exit code {process.ExitCode}: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"{command}: {ex.Message}";
        }
    }
}

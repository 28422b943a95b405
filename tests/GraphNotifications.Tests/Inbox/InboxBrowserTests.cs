using System.Diagnostics;
using GraphNotifications.Tests.Infrastructure;
using GraphNotifications.Tests.Process;
using Microsoft.IdentityModel.Tokens;
using Xunit.Abstractions;
using OsProcess = System.Diagnostics.Process;

namespace GraphNotifications.Tests.Inbox;

/// <summary>
/// The inbox page in a real browser: <c>tests/inbox-browser/inbox.test.mjs</c> (Playwright driving Debian's chromium,
/// and axe-core) against the real service process, which this test starts, kills with SIGKILL and starts again when
/// the script asks. The script's scenarios are the page's tests; this one fails with their output when any fails.
/// Alone: <c>dotnet test tests/GraphNotifications.Tests --filter FullyQualifiedName~InboxBrowserTests</c>.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class InboxBrowserTests(ITestOutputHelper output)
{
    private const string User = "adele";
    private const string App = "inbox-app";

    /// <summary>Where the screenshots go when set (scripts/refresh-inbox-screenshots.sh sets it); else a temporary folder.</summary>
    public const string ScreenshotsVariable = "GRAPHNOTIFICATIONS_INBOX_SCREENSHOTS";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);

    [SkippableFact(Timeout = 300_000)]
    public async Task The_inbox_page_shows_the_feed_live_and_acts_on_it_in_chromium()
    {
        string chromium = Environment.GetEnvironmentVariable("INBOX_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            // CI installs it (.ci/run); a developer's machine may not have it, and is told how.
            Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), $"No browser at {chromium}: .ci/run installs Debian's chromium.");
            Skip.If(true, $"The inbox's browser tests need Debian's chromium at {chromium} (apt-get install chromium); skipped.");
        }

        string screenshots = Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } folder
            ? Directory.CreateDirectory(folder).FullName
            : Directory.CreateTempSubdirectory("graphnotifications-inbox-screenshots-").FullName;
        output.WriteLine($"Screenshots: {screenshots}");

        await using var service = await ServiceProcess.StartAsync();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ScriptFolder(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("inbox.test.mjs");
        start.Environment["INBOX_BASE_URL"] = service.BaseAddress.GetLeftPart(UriPartial.Authority);
        start.Environment["INBOX_TOKEN"] = TestTokens.Delegated(User, App);
        start.Environment["INBOX_APP_TOKEN"] = TestTokens.AppOnly(App);
        start.Environment["INBOX_EXPIRED_TOKEN"] = TestTokens.Delegated(User, App, tweak: Expired);
        start.Environment["INBOX_USER"] = User;
        start.Environment["INBOX_SCREENSHOTS"] = screenshots;
        start.Environment["INBOX_CHROMIUM"] = chromium;

        using var node = OsProcess.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var lines = new List<string>();
        var errors = node.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(ScriptTimeout);
        try
        {
            while (await node.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                lines.Add(line);
                // The script's requests: the service killed (a crash), or started again on the same port and store.
                if (line == "@@kill")
                {
                    service.Kill();
                    await node.StandardInput.WriteLineAsync("kill: done");
                }
                else if (line == "@@start")
                {
                    await service.RestartAsync();
                    await node.StandardInput.WriteLineAsync("start: done");
                }

                await node.StandardInput.FlushAsync(deadline.Token);
            }

            await node.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            lines.Add($"--- the script did not end within {ScriptTimeout}: killed");
        }

        string said = string.Join(Environment.NewLine, lines) + Environment.NewLine + await errors;
        output.WriteLine(said);
        Assert.True(node.HasExited && node.ExitCode == 0,
            $"The inbox's browser tests failed (node exit {(node.HasExited ? node.ExitCode : -1)}):{Environment.NewLine}{said}{Environment.NewLine}Service output:{Environment.NewLine}{service.Output}");
    }

    private static void Expired(SecurityTokenDescriptor token)
    {
        token.NotBefore = DateTime.UtcNow.AddMinutes(-20);
        token.Expires = DateTime.UtcNow.AddMinutes(-10);
    }

    private static string ScriptFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "tests", "inbox-browser");
            if (File.Exists(Path.Combine(folder.FullName, "GraphNotifications.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No tests/inbox-browser above {AppContext.BaseDirectory}.");
    }
}

using System.Diagnostics;
using OsProcess = System.Diagnostics.Process;
using System.Text.Json.Nodes;

namespace GraphNotifications.Tests.Push;

/// <summary>One browser's subscription keys: the ECDH P-256 public key and the authentication secret, base64url.</summary>
public sealed record UserAgentKeys(int Id, string P256dh, string Auth);

/// <summary>
/// Browsers' side of Web Push, played by Node.js with the npm package http_ece (tools/web-push-receiver, pinned by
/// its lock file and restored by the test build): keys made as a browser makes them, and payloads decrypted with an
/// implementation the service does not use. One node process serves a test class, one request at a time.
/// </summary>
public sealed class UserAgents : IDisposable
{
    private readonly OsProcess _node;
    private readonly SemaphoreSlim _turn = new(1, 1);

    public UserAgents()
    {
        string tool = Path.Combine(RepositoryRoot(), "tools", "web-push-receiver");
        _node = OsProcess.Start(new ProcessStartInfo("node", "receiver.js")
        {
            WorkingDirectory = tool,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("node did not start");
    }

    public async Task<UserAgentKeys> NewAsync()
    {
        var answer = await AskAsync(new JsonObject { ["op"] = "keys" });
        return new UserAgentKeys(answer["id"]!.GetValue<int>(), answer["p256dh"]!.GetValue<string>(), answer["auth"]!.GetValue<string>());
    }

    /// <summary>The plaintext, or null with why not.</summary>
    public async Task<(string? Text, string? Error)> DecryptAsync(UserAgentKeys keys, byte[] body)
    {
        var answer = await AskAsync(new JsonObject { ["op"] = "decrypt", ["id"] = keys.Id, ["body"] = Convert.ToBase64String(body) });
        return answer["ok"]!.GetValue<bool>() ? (answer["text"]!.GetValue<string>(), null) : (null, answer["error"]!.GetValue<string>());
    }

    private async Task<JsonObject> AskAsync(JsonObject request)
    {
        await _turn.WaitAsync();
        try
        {
            await _node.StandardInput.WriteLineAsync(request.ToJsonString());
            await _node.StandardInput.FlushAsync();
            string line = await _node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException($"node ended: {await _node.StandardError.ReadToEndAsync()}");
            return JsonNode.Parse(line)!.AsObject();
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose()
    {
        try
        {
            _node.StandardInput.Close();
            if (!_node.WaitForExit(5000))
            {
                _node.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _node.Dispose();
        _turn.Dispose();
    }

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GraphNotifications.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds GraphNotifications.sln.");
    }
}

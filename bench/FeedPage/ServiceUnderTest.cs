using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using GraphNotifications.Api.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GraphNotifications.Bench.FeedPage;

/// <summary>
/// The published service as a real process (<c>dotnet GraphNotifications.Api.dll</c>, Production, Release) on a
/// loopback port and a given SQLite file, trusting tokens signed with a key of this run. Stopped by its own PID.
/// </summary>
internal sealed class ServiceUnderTest : IDisposable
{
    private const string Issuer = "https://login.bench.graphnotifications.test/";
    private const string Audience = "https://graph.bench.graphnotifications.test";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServiceUnderTest(Process process, Uri root, IReadOnlyList<string> arguments)
    {
        _process = process;
        Root = root;
        Arguments = arguments;
    }

    /// <summary><c>http://127.0.0.1:{port}/v1.0/</c></summary>
    public Uri Root { get; }

    public IReadOnlyList<string> Arguments { get; }

    public int Pid => _process.Id;

    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>Starts the service and waits until <c>$metadata</c> answers.</summary>
    public static async Task<ServiceUnderTest> StartAsync(string publishDirectory, string databasePath, IEnumerable<string> extraArguments, CancellationToken cancellationToken)
    {
        int port = FreePort();
        List<string> arguments =
        [
            Path.Combine(publishDirectory, "GraphNotifications.Api.dll"),
            "--urls", $"http://127.0.0.1:{port}",
            "--Storage:Provider=Sqlite",
            $"--ConnectionStrings:Notifications=Data Source={databasePath}",
            $"--Authentication:Schemes:Bearer:ValidIssuer={Issuer}",
            $"--Authentication:Schemes:Bearer:ValidAudiences:0={Audience}",
            $"--Authentication:Schemes:Bearer:SigningKeys:0:Issuer={Issuer}",
            $"--Authentication:Schemes:Bearer:SigningKeys:0:Value={Convert.ToBase64String(SigningKey)}",
            "--Logging:LogLevel:Default=Warning",
            .. extraArguments,
        ];

        // The working directory is the store's folder, so the appsettings.json beside the dll is not read: the
        // command line is the whole configuration.
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(databasePath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        arguments.ForEach(startInfo.ArgumentList.Add);
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (string name in startInfo.Environment.Keys.Where(IsOverridingSetting).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        var process = new Process { StartInfo = startInfo };
        var service = new ServiceUnderTest(process, new Uri($"http://127.0.0.1:{port}/v1.0/"), arguments);
        process.OutputDataReceived += (_, e) => service.Record(e.Data);
        process.ErrorDataReceived += (_, e) => service.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await service.WaitUntilReadyAsync(cancellationToken);
            return service;
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>An app-only token of <see cref="FeedStore.AppId"/> with the notifications app role.</summary>
    public static string AppOnlyToken() => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Claims = new Dictionary<string, object>
        {
            ["appid"] = FeedStore.AppId,
            ["oid"] = "sp-" + FeedStore.AppId,
            ["sub"] = "sp-" + FeedStore.AppId,
            ["roles"] = new[] { NotificationsPermission.Name },
        },
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        Expires = DateTime.UtcNow.AddHours(2),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SigningKey), SecurityAlgorithms.HmacSha256),
    });

    /// <summary>Stops the process this run started (by its PID, with SIGKILL) and waits until it is gone.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var metadata = new Uri(Root, "$metadata");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ReadyTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {_process.ExitCode} before it answered:{Environment.NewLine}{string.Join(Environment.NewLine, Output.TakeLast(40))}");
            }

            try
            {
                using var response = await probe.GetAsync(metadata, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"The service did not answer {metadata} within {ReadyTimeout}.");
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    // Settings a developer may have exported would outrank nothing on the command line, but could add to it.
    private static bool IsOverridingSetting(string name) =>
        name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Storage__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Authentication__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase)
        || name is "ASPNETCORE_URLS" or "DOTNET_ENVIRONMENT" or "ASPNETCORE_HTTP_PORTS";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

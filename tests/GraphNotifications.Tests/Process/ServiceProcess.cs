using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using GraphNotifications.Tests.Infrastructure;
using OsProcess = System.Diagnostics.Process;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// The built service as a real process (<c>dotnet GraphNotifications.Api.dll</c>) on a loopback port, in Production,
/// in a temporary working directory, trusting <see cref="TestTokens"/>: on SQLite in that directory
/// (<see cref="StartAsync"/>) or on a PostgreSQL database (<see cref="StartOnPostgresAsync"/>), which several processes
/// may share. It can be killed with SIGKILL, or stopped with SIGTERM, and restarted on the same port and database,
/// which is what crash and shutdown tests need and the in-process factory cannot give.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    public const string DatabaseFileName = "notifications.db";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);
    private const int OutputLinesShown = 200;

    private readonly List<string> _arguments;
    private readonly List<string> _output = [];
    private OsProcess? _process;
    private SocketsHttpHandler? _handler;
    private int _runs;

    private readonly string _environment = "Production";

    private ServiceProcess(DirectoryInfo workingDirectory, int port, Func<ServiceProcess, IEnumerable<string>> storageArguments)
        : this(workingDirectory, port)
    {
        _arguments.AddRange(storageArguments(this));
        _arguments.AddRange(TestTokens.BearerSettings().Select(setting => $"--{setting.Key}={setting.Value}"));

        // The content root is the working directory, so the appsettings.json beside the dll is not read: repeat its
        // log filters, or EF Core logs every SQL command and buries a failure's cause in the captured output.
        _arguments.AddRange(["--Logging:LogLevel:Microsoft.AspNetCore=Warning", "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning"]);
    }

    /// <summary>The process as <c>dotnet run</c> starts it: only the URL on the command line.</summary>
    private ServiceProcess(DirectoryInfo workingDirectory, int port, string environment)
        : this(workingDirectory, port)
    {
        _environment = environment;
    }

    private ServiceProcess(DirectoryInfo workingDirectory, int port)
    {
        WorkingDirectory = workingDirectory.FullName;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/v1.0/");
        _arguments = [ServiceAssembly(), "--urls", $"http://127.0.0.1:{port}"];
    }

    /// <summary>
    /// Starts the service as a newcomer's first <c>dotnet run</c> does: in Development, with the project's own
    /// appsettings.json and appsettings.Development.json (copied into the working directory, its content root), its
    /// default store (a new <c>./data/notifications.db</c>), and nothing else on the command line but the URL.
    /// </summary>
    public static async Task<ServiceProcess> StartAsFirstRunAsync()
    {
        var directory = Directory.CreateTempSubdirectory("graphnotifications-first-run-");
        string project = Path.Combine(RepositoryRoot(), "src", "GraphNotifications.Api");
        foreach (string file in new[] { "appsettings.json", "appsettings.Development.json" })
        {
            File.Copy(Path.Combine(project, file), Path.Combine(directory.FullName, file));
        }

        var service = new ServiceProcess(directory, FreePort(), "Development");
        try
        {
            await service.RunAsync();
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>The temporary folder the service runs in; deleted on dispose.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The service root, <c>http://127.0.0.1:{port}/v1.0/</c>; the port stays the same across restarts.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The store's file on SQLite when the connection string is passed.</summary>
    public string DatabasePath => Path.Combine(WorkingDirectory, DatabaseFileName);

    /// <summary>The last lines the service wrote to stdout and stderr, over all its runs.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output.TakeLast(OutputLinesShown));
            }
        }
    }

    /// <summary>Whether any line the service wrote, over all its runs, contains <paramref name="text"/>.</summary>
    public bool HasWritten(string text)
    {
        lock (_output)
        {
            return _output.Any(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>Starts the service on SQLite and waits until it answers.</summary>
    /// <param name="withConnectionString">
    /// True stores in <see cref="DatabasePath"/>; false passes no <c>ConnectionStrings:Notifications</c>, leaving the
    /// service to its default store.
    /// </param>
    /// <param name="settings">More configuration, as <c>Key=Value</c> (<c>Shutdown:Timeout=00:00:20</c>), passed on the command line.</param>
    public static Task<ServiceProcess> StartAsync(bool withConnectionString = true, IEnumerable<string>? settings = null) =>
        StartAsync(service => (withConnectionString
            ? ["--Storage:Provider=Sqlite", $"--ConnectionStrings:Notifications=Data Source={service.DatabasePath}"]
            : new[] { "--Storage:Provider=Sqlite" }).Concat(AsArguments(settings)));

    /// <summary>
    /// Starts the service on the PostgreSQL database <paramref name="connectionString"/> names and waits until it
    /// answers. Processes started on one database are instances of one service.
    /// </summary>
    public static Task<ServiceProcess> StartOnPostgresAsync(string connectionString, IEnumerable<string>? settings = null) =>
        StartAsync(_ => new[] { "--Storage:Provider=Postgres", $"--ConnectionStrings:Notifications={connectionString}" }.Concat(AsArguments(settings)));

    /// <summary>
    /// Starts <paramref name="count"/> instances on one PostgreSQL database at once, as a deployment does, and waits
    /// until each answers; when any fails to start, the others are stopped.
    /// </summary>
    public static async Task<ServiceProcess[]> StartInstancesOnPostgresAsync(string connectionString, int count)
    {
        var starts = Enumerable.Range(0, count).Select(_ => StartOnPostgresAsync(connectionString)).ToArray();
        try
        {
            return await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var started in starts.Where(start => start.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }
    }

    private static async Task<ServiceProcess> StartAsync(Func<ServiceProcess, IEnumerable<string>> storageArguments)
    {
        var service = new ServiceProcess(Directory.CreateTempSubdirectory("graphnotifications-process-"), FreePort(), storageArguments);
        try
        {
            await service.RunAsync();
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>The exit code of the last run that has ended (by itself, SIGTERM or SIGKILL); null before one has.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>
    /// Kills the service with SIGKILL (no shutdown, no flush: a crash) and waits for it to be gone. A run that has
    /// already exited (after <see cref="Terminate"/>) is only cleared away.
    /// </summary>
    public void Kill()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        if (!_process.WaitForExit(ExitTimeout))
        {
            throw new TimeoutException($"The service (pid {_process.Id}) did not exit within {ExitTimeout} of SIGKILL.{Describe()}");
        }

        ExitCode = _process.ExitCode;
        _process.Dispose();
        _process = null;
        _handler?.Dispose();
        _handler = null;
    }

    /// <summary>
    /// Sends SIGTERM, as an orchestrator stopping the service does, and returns at once: the service drains its
    /// requests and exits on its own; <see cref="WaitForExitAsync"/> waits for that.
    /// </summary>
    public void Terminate()
    {
        var process = _process ?? throw new InvalidOperationException("The service is not running.");
        var kill = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        kill.ArgumentList.Add("-TERM");
        kill.ArgumentList.Add(process.Id.ToString(CultureInfo.InvariantCulture));
        using var sender = OsProcess.Start(kill) ?? throw new InvalidOperationException("Could not run kill(1).");
        string error = sender.StandardError.ReadToEnd();
        sender.WaitForExit();
        if (sender.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {process.Id} failed ({sender.ExitCode}): {error}");
        }

        Record($"--- run {_runs}: SIGTERM sent");
    }

    /// <summary>
    /// Waits until the current run exits by itself, at most <paramref name="timeout"/>, and returns its exit code
    /// (also kept in <see cref="ExitCode"/>); a run still alive then is a <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException("The service is not running.");
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The service (pid {process.Id}) did not exit within {timeout}.{Describe()}");
        }

        ExitCode = process.ExitCode;
        return process.ExitCode;
    }

    /// <summary>Kills the service if it runs, then starts it again on the same port and database.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await RunAsync();
    }

    /// <summary>
    /// A client for the current run that sends <paramref name="token"/>; a restart ends it, so take new clients after one.
    /// </summary>
    public HttpClient ClientWith(string? token)
    {
        var handler = _handler ?? throw new InvalidOperationException("The service is not running.");
        var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = BaseAddress, Timeout = RequestTimeout };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    public HttpClient Delegated(string userId, string appId) => ClientWith(TestTokens.Delegated(userId, appId));

    public HttpClient AppOnly(string appId) => ClientWith(TestTokens.AppOnly(appId));

    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        finally
        {
            DeleteWorkingDirectory();
        }

        return ValueTask.CompletedTask;
    }

    private async Task RunAsync()
    {
        _runs++;
        Record($"--- run {_runs}: dotnet {Password().Replace(string.Join(' ', _arguments), "Password=***")}");
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _arguments.ForEach(startInfo.ArgumentList.Add);
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = _environment;
        startInfo.Environment.Remove("DOTNET_ENVIRONMENT");

        // Settings a developer or CI may export would outrank the service's own defaults that these tests check.
        foreach (string name in startInfo.Environment.Keys.Where(IsStorageSetting).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        var process = new OsProcess { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _handler = new SocketsHttpHandler();
        Record($"--- run {_runs}: pid {process.Id}");

        await WaitUntilReadyAsync(process);
    }

    /// <summary>Polls the open <c>$metadata</c> document until it answers 200, the process exits, or time runs out.</summary>
    private async Task WaitUntilReadyAsync(OsProcess process)
    {
        using var probe = new HttpClient(_handler!, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(2) };
        var metadata = new Uri(BaseAddress, "$metadata");
        var deadline = Stopwatch.StartNew();
        string lastAttempt = "no attempt yet";
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (process.HasExited)
            {
                await DrainOutputAsync(process);
                throw new InvalidOperationException($"The service exited with code {process.ExitCode} before it answered.{Describe()}");
            }

            try
            {
                using var response = await probe.GetAsync(metadata);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                lastAttempt = $"GET $metadata answered {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                lastAttempt = ex.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        Kill();
        throw new TimeoutException($"The service did not answer {metadata} within {ReadyTimeout} ({lastAttempt}).{Describe()}");
    }

    /// <summary>Waits (briefly) until the exited process's last output is recorded: it usually says why it exited.</summary>
    private static async Task DrainOutputAsync(OsProcess process)
    {
        using var timeout = new CancellationTokenSource(ExitTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Show what was recorded so far.
        }
    }

    private string Describe() => $"{Environment.NewLine}Service output (last {OutputLinesShown} lines):{Environment.NewLine}{Output}";

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private void DeleteWorkingDirectory()
    {
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleanup: a cleanup failure must not hide the test's own result.
        }
    }

    /// <summary>A connection string's password, kept out of the recorded command line.</summary>
    [GeneratedRegex("Password=[^; ]*", RegexOptions.IgnoreCase)]
    private static partial Regex Password();

    private static IEnumerable<string> AsArguments(IEnumerable<string>? settings) => (settings ?? []).Select(setting => $"--{setting}");

    private static bool IsStorageSetting(string name) =>
        name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Storage__", StringComparison.OrdinalIgnoreCase);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dotnet host that runs these tests when the SDK says which one, else the one on the PATH.</summary>
    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>
    /// <c>src/GraphNotifications.Api/bin/{configuration}/net10.0/GraphNotifications.Api.dll</c>, built in the
    /// configuration this test assembly was built in (the solution builds both together).
    /// </summary>
    private static string ServiceAssembly()
    {
        string configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
            ?? throw new InvalidOperationException("The test assembly does not say which configuration built it.");
        string path = Path.Combine(RepositoryRoot(), "src", "GraphNotifications.Api", "bin", configuration, "net10.0", "GraphNotifications.Api.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The service is not built; run 'dotnet build GraphNotifications.sln -c {configuration}'.", path);
    }

    private static string RepositoryRoot()
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

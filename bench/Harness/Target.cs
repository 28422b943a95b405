using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GraphNotifications.Bench.Harness;

/// <summary>What is measured: the service as published, or the ceiling.</summary>
internal sealed record TargetKind(string Name, string Dll, IReadOnlyList<string> ExtraArguments)
{
    public static TargetKind Service(string directory) => new("service", Path.Combine(directory, "GraphNotifications.Api.dll"),
    [
        // Rate limits raised out of the way: the bench is one app and a few users sending thousands a second.
        "--Limits:PermitsPerApp=2000000000",
        "--Limits:PermitsPerUser=2000000000",
        // Scenario 6's webhook receiver is the harness itself, on loopback over http.
        "--Subscriptions:AllowPrivateNotificationUrls=true",
        "--Subscriptions:RequireHttps=false",
        // The fan-out bench's push service is the harness too.
        "--Push:AllowPrivateEndpoints=true",
        "--Push:RequireHttps=false",
    ]);

    public static TargetKind Baseline(string directory) => new("baseline", Path.Combine(directory, "Baseline.dll"),
    [
        "--Limits:PermitsPerApp=2000000000",
        "--Limits:PermitsPerUser=2000000000",
    ]);
}

/// <summary>
/// One process of a target (<c>dotnet X.dll</c>, Production) on a loopback port and a given SQLite file, its
/// configuration all on the command line. Stopped by its own PID.
/// </summary>
internal sealed class Target : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private Target(TargetKind kind, Process process, int port, long startTimestamp)
    {
        Kind = kind;
        _process = process;
        Port = port;
        StartTimestamp = startTimestamp;
    }

    public TargetKind Kind { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    public Uri Root => new($"http://127.0.0.1:{Port}/");

    /// <summary>When <see cref="Process.Start()"/> was called (a <see cref="Stopwatch"/> timestamp).</summary>
    public long StartTimestamp { get; }

    public bool HasExited => _process.HasExited;

    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output.TakeLast(30));
            }
        }
    }

    public static Target Start(TargetKind kind, string databasePath)
    {
        int port = FreePort();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            // The store's folder: the appsettings.json beside the dll is not read; the command line is the whole configuration.
            WorkingDirectory = Path.GetDirectoryName(databasePath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (IEnumerable<string>)[
            kind.Dll,
            "--urls", $"http://127.0.0.1:{port}",
            "--Storage:Provider=Sqlite",
            $"--ConnectionStrings:Notifications=Data Source={databasePath}",
            "--Logging:LogLevel:Default=Warning",
            .. Tokens.BearerArguments(),
            .. kind.ExtraArguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (string name in startInfo.Environment.Keys.Where(IsOverridingSetting).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        var process = new Process { StartInfo = startInfo };
        long start = Stopwatch.GetTimestamp();
        process.Start();
        var target = new Target(kind, process, port, start);
        process.OutputDataReceived += (_, e) => target.Record(e.Data);
        process.ErrorDataReceived += (_, e) => target.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return target;
    }

    /// <summary>Resident memory now, in MiB (VmRSS), or null once the process is gone.</summary>
    public double? RssMiB() => ReadStatusKiB("VmRSS:") is long kib ? kib / 1024.0 : null;

    /// <summary>The largest resident memory the process has had, in MiB (VmHWM).</summary>
    public double? PeakRssMiB() => ReadStatusKiB("VmHWM:") is long kib ? kib / 1024.0 : null;

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

    /// <summary>
    /// CPU time the process has used so far (user and system, <c>/proc/&lt;pid&gt;/stat</c>), in milliseconds, or
    /// null once it is gone. Unlike the wall clock, it hardly depends on what else the machine is running.
    /// </summary>
    public double? CpuMilliseconds()
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{Pid}/stat");
            // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks * 1000.0 / ClockTicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }

    // USER_HZ: 100 on every Linux architecture .NET runs on.
    private const double ClockTicksPerSecond = 100;

    private long? ReadStatusKiB(string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }

        return null;
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

    // Settings a developer may have exported could add to the command line's.
    private static bool IsOverridingSetting(string name) =>
        name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Storage__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Authentication__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Limits__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase)
        || name is "ASPNETCORE_URLS" or "DOTNET_ENVIRONMENT" or "ASPNETCORE_HTTP_PORTS";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

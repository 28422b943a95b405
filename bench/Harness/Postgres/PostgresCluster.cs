using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GraphNotifications.Bench.Harness.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster for the PostgreSQL scenario, started as <c>.ci/run</c> starts the tests' one: the
/// newest server under /usr/lib/postgresql, <c>initdb</c> and <c>pg_ctl</c> (as the postgres user when the harness
/// runs as root, since the server refuses root), on 127.0.0.1 and a free port, its default settings, a role that may
/// create databases. Stopped at once and removed on dispose.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private const string Password = "bench";

    private readonly string _bin;
    private readonly string _folder;

    private PostgresCluster(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Version { get; private set; } = string.Empty;

    /// <summary>The server's main process (the first line of postmaster.pid): its children are the backends.</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(_folder, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username=graphnotifications;Password={Password}";

    public static async Task<PostgresCluster> StartAsync(CancellationToken cancellationToken)
    {
        string bin = Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderBy(d => System.Version.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : new System.Version(0, 0))
            .LastOrDefault() ?? throw new InvalidOperationException("No PostgreSQL server under /usr/lib/postgresql (Debian: apt-get install -y postgresql).");
        string folder = Directory.CreateTempSubdirectory("graphnotifications-bench-postgres-").FullName;
        var cluster = new PostgresCluster(bin, folder, FreePort());
        try
        {
            if (IsRoot)
            {
                await RunAsync("chown", ["postgres:postgres", folder], cancellationToken);
            }

            await cluster.AsPostgresAsync("initdb", ["-D", $"{folder}/data", "-U", "postgres", "--no-locale", "-E", "UTF8", "--auth-local=trust", "--auth-host=scram-sha-256"], cancellationToken);
            await cluster.AsPostgresAsync("pg_ctl", ["-D", $"{folder}/data", "-l", $"{folder}/server.log", "-w", "-t", "60", "-o", $"-k {folder} -h 127.0.0.1 -p {cluster.Port}", "start"], cancellationToken);
            await cluster.PsqlAsync("postgres", $"CREATE ROLE graphnotifications LOGIN CREATEDB PASSWORD '{Password}'", cancellationToken);
            cluster.Version = (await cluster.PsqlAsync("postgres", "SHOW server_version", cancellationToken)).Trim();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public Task CreateDatabaseAsync(string name, CancellationToken cancellationToken) =>
        PsqlAsync("postgres", $"CREATE DATABASE {name} OWNER graphnotifications", cancellationToken);

    /// <summary>One statement through psql as the superuser; returns its unaligned output.</summary>
    public Task<string> PsqlAsync(string database, string sql, CancellationToken cancellationToken) =>
        AsPostgresAsync("psql", ["-h", _folder, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-Atq", "-c", sql], cancellationToken);

    /// <summary>pgbench against a database: the server's own ceiling for a one-row insert, beside the service's figures.</summary>
    public async Task<string> PgbenchInsertAsync(string database, int clients, int seconds, CancellationToken cancellationToken)
    {
        await PsqlAsync(database, "CREATE TABLE IF NOT EXISTS bench_insert (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL)", cancellationToken);
        string script = Path.Combine(_folder, "insert.sql");
        await File.WriteAllTextAsync(script, "INSERT INTO bench_insert (body) VALUES (repeat('x', 600));\n", cancellationToken);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", script], cancellationToken);
        }

        return await AsPostgresAsync("pgbench", ["-h", _folder, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-n", "-c", $"{clients}", "-j", "2", "-T", $"{seconds}", "-f", script, database], cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(_folder, "data", "postmaster.pid")))
            {
                await AsPostgresAsync("pg_ctl", ["-D", $"{_folder}/data", "-m", "immediate", "-w", "stop"], CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task<string> AsPostgresAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments], cancellationToken)
            : RunAsync(Path.Combine(_bin, tool), arguments, cancellationToken);

    private static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        // From a folder the postgres user may enter.
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{await stdout}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

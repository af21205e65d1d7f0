using System.Security.Cryptography;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests.Faults;

/// <summary>
/// A PostgreSQL cluster of the fault suite's own (initdb in a folder under /tmp, loopback, a free port), so it
/// can be crashed, stopped and started without touching the shared test server. Durable settings, as in
/// production: fsync and synchronous_commit stay on. As root the server runs as the postgres user, since
/// initdb refuses root.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _home;
    private readonly string _bin;
    private readonly string _password;

    private PostgresCluster(string home, string bin, string password, int port)
    {
        _home = home;
        _bin = bin;
        _password = password;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The password of the <c>postgres</c> user, for the connections the Scaling tests route through PgBouncer.</summary>
    internal string Password => _password;

    /// <summary>What the server logged so far.</summary>
    public string ServerLog => File.Exists(ServerLogFile) ? File.ReadAllText(ServerLogFile) : "";

    private string ServerLogFile => Path.Combine(DataDirectory, "server.log");

    private string DataDirectory => Path.Combine(_home, "postgres");

    public static Task<PostgresCluster> CreateAsync() =>
        CreateAsync(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), cluster => cluster.InitializeAsync());

    private static async Task<PostgresCluster> CreateAsync(string password, Func<PostgresCluster, Task> initialize)
    {
        var bin = FindBinDirectory();
        // /tmp itself rather than $TMPDIR, which may be private to root: the postgres user must enter it.
        var home = Directory.CreateDirectory(Path.Combine("/tmp", $"gino-faults-{Guid.NewGuid():N}")).FullName;
        var cluster = new PostgresCluster(home, bin, password, ApiProcess.FreePort());
        try
        {
            await initialize(cluster);
            await cluster.StartAsync();
            return cluster;
        }
        catch
        {
            try
            {
                await cluster.DisposeAsync();
            }
            catch (InvalidOperationException)
            {
                // The first failure is the one to report.
            }

            throw;
        }
    }

    /// <summary>
    /// A streaming standby of <paramref name="primary"/> (<c>pg_basebackup -R</c>: a copy of its data folder with
    /// <c>primary_conninfo</c> and <c>standby.signal</c>), on a free port of its own, started and streaming. Its
    /// <c>application_name</c> on the primary is <paramref name="name"/>, what <c>synchronous_standby_names</c> lists.
    /// </summary>
    public static async Task<PostgresCluster> CreateStandbyAsync(PostgresCluster primary, string name)
    {
        var home = Directory.CreateDirectory(Path.Combine("/tmp", $"gino-standby-{Guid.NewGuid():N}")).FullName;
        var standby = new PostgresCluster(home, primary._bin, primary._password, ApiProcess.FreePort());
        try
        {
            await RunAsync("chmod", ["755", home]);
            Directory.CreateDirectory(standby.DataDirectory);
            if (IsRoot)
            {
                await RunAsync("chown", ["postgres:", standby.DataDirectory]);
            }

            await RunAsync("chmod", ["700", standby.DataDirectory]);
            await standby.RunAsOwnerAsync("pg_basebackup", ["-D", standby.DataDirectory, "-R", "-X", "stream", "-c", "fast", "--no-sync",
                "-d", $"host=127.0.0.1 port={primary.Port} user=postgres password={primary._password} application_name={name}"]);
            File.Delete(Path.Combine(standby.DataDirectory, "server.log")); // the primary's, copied with its folder
            await File.AppendAllTextAsync(Path.Combine(standby.DataDirectory, "postgresql.conf"), $"port = {standby.Port}\nhot_standby = on\n");
            await standby.StartAsync();
            return standby;
        }
        catch
        {
            try
            {
                await standby.DisposeAsync();
            }
            catch (InvalidOperationException)
            {
                // The first failure is the one to report.
            }

            throw;
        }
    }

    /// <summary><c>pg_ctl promote -w</c>: the standby leaves recovery and accepts writes.</summary>
    public Task PromoteAsync() => RunAsOwnerAsync("pg_ctl", ["-D", DataDirectory, "-w", "-t", "60", "promote"]);

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = _password,
        Database = database,
        Pooling = false,
    }.ConnectionString;

    /// <summary>How the API is pointed at <paramref name="database"/>.</summary>
    public string Dsn(string database) => $"postgresql://postgres:{_password}@127.0.0.1:{Port}/{database}";

    /// <summary>Starts the server and returns once it accepts connections.</summary>
    public Task StartAsync() => RunAsOwnerAsync("pg_ctl", ["-D", DataDirectory, "-l", ServerLogFile, "-w", "-t", "60", "start"]);

    /// <summary>
    /// <c>pg_ctl stop -m immediate</c>: every server process quits at once, without a checkpoint: a crash of the
    /// server process, not a power cut. What was committed survives only through the WAL, which crash recovery
    /// replays. The machine keeps running, so what PostgreSQL wrote but had not yet flushed to disk survives in the
    /// operating system's page cache. It proves that no 201 is answered before its commit (with
    /// <c>synchronous_commit=off</c> the WAL of the last commits is still in PostgreSQL's own memory, and is lost);
    /// it does not prove durability across a power loss, which rests on <c>fsync</c> and on disks that honour it.
    /// </summary>
    public Task CrashAsync() => RunAsOwnerAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);


    public Task StopAsync() => RunAsOwnerAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);

    public async Task<bool> AcceptsConnectionsAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
            await connection.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <summary>Runs SQL on the server's maintenance database (CREATE and DROP DATABASE).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the server if it runs (at once: its data is thrown away) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (await IsRunningAsync())
            {
                await CrashAsync();
            }
        }
        finally
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    /// <summary>Whether a postmaster runs on the data folder (it may still be recovering, not yet accepting).</summary>
    public async Task<bool> IsRunningAsync()
    {
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            return false;
        }

        try
        {
            await RunAsOwnerAsync("pg_ctl", ["-D", DataDirectory, "status"]);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // pg_ctl status exits 3 when no server runs
        }
    }

    private async Task InitializeAsync()
    {
        await RunAsync("chmod", ["755", _home]);
        var passwordFile = Path.Combine(_home, "password");
        await File.WriteAllTextAsync(passwordFile, "");
        await RunAsync("chmod", ["600", passwordFile]);
        await File.WriteAllTextAsync(passwordFile, _password);
        Directory.CreateDirectory(DataDirectory);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:", DataDirectory, passwordFile]);
        }

        await RunAsOwnerAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
        File.Delete(passwordFile);
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"),
            $"listen_addresses = '127.0.0.1'\nport = {Port}\nunix_socket_directories = ''\n");
    }

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>The newest installed server (Debian's layout; scripts/test.sh installs it with apt when missing).</summary>
    private static string FindBinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        return candidates
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
            .FirstOrDefault()
            ?? throw new InvalidOperationException("No PostgreSQL server under /usr/lib/postgresql/*/bin: scripts/test.sh installs it (apt).");
    }

    private Task RunAsOwnerAsync(string tool, IReadOnlyList<string> arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        // From /: the postgres user may not be allowed into the current folder.
        var result = await Command.RunAsync(file, arguments, "/");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Output}");
        }
    }
}

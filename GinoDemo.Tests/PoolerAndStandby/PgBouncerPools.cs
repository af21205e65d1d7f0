using System.Diagnostics;
using System.Net.Sockets;
using GinoDemo.Tests.Faults;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.PoolerAndStandby;

/// <summary>
/// A real PgBouncer (Debian's, 1.18; scripts/test.sh installs it with apt when missing) on a free loopback port in
/// front of a <see cref="PostgresCluster"/>, run as the postgres user (it refuses root) and stopped by its process id. Its
/// databases: <see cref="TransactionPool"/> (<c>pool_mode = transaction</c>, two server connections, as a small
/// production pool) and <see cref="SessionPool"/> (<c>pool_mode = session</c>) for the same database; SCRAM
/// authentication through an auth file.
/// </summary>
public sealed class PgBouncerPools : IAsyncDisposable
{
    /// <summary>Where Debian installs it (/usr/sbin), or elsewhere on a PATH.</summary>
    private static readonly string[] Locations = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer"];

    private readonly Process _process;
    private readonly string _home;

    private PgBouncerPools(Process process, string home, int port, string password)
    {
        _process = process;
        _home = home;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    private string Password { get; }

    /// <summary>The transaction-mode pool: the database's own name, so that one DSN fits PostgreSQL and the pooler.</summary>
    public const string TransactionPool = PoolerAndStandbySuite.PooledDatabase;

    /// <summary>The alias of the session-mode pool (it ends in _test, which TESTING keeps).</summary>
    public const string SessionPool = "pooled_session_test";

    public static async Task<PgBouncerPools> StartAsync(PostgresCluster cluster, string database)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var home = Directory.CreateDirectory(Path.Combine("/tmp", $"gino-pgbouncer-{Guid.NewGuid():N}")).FullName;
        var port = ApiProcess.FreePort();
        var server = $"host=127.0.0.1 port={cluster.Port} dbname={database}";
        await File.WriteAllTextAsync(Path.Combine(home, "pgbouncer.ini"), $"""
            [databases]
            {TransactionPool} = {server} pool_mode=transaction pool_size=2
            {SessionPool} = {server} pool_mode=session pool_size=8
            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = scram-sha-256
            auth_file = {home}/userlist.txt
            max_client_conn = 200
            logfile = {home}/pgbouncer.log
            log_connections = 0
            log_disconnections = 0
            """);
        await File.WriteAllTextAsync(Path.Combine(home, "userlist.txt"), $"\"postgres\" \"{cluster.Password}\"\n");
        if (Environment.UserName == "root")
        {
            await Command.RunAsync("chown", ["-R", "postgres:", home], "/");
        }

        await Command.RunAsync("chmod", ["700", home], "/");
        var executable = Locations.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("pgbouncer is not installed: scripts/test.sh installs it (apt).");
        var start = Environment.UserName == "root"
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", executable, Path.Combine(home, "pgbouncer.ini")])
            : new ProcessStartInfo(executable, [Path.Combine(home, "pgbouncer.ini")]);
        start.WorkingDirectory = "/";
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        // It also logs to stderr when not daemonized: drained, so that a full pipe never stalls it (the log file has it all).
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var bouncer = new PgBouncerPools(process, home, port, cluster.Password);
        await bouncer.WaitUntilListeningAsync();
        return bouncer;
    }

    /// <summary>An Npgsql connection string through the pool <paramref name="alias"/>.</summary>
    public string ConnectionString(string alias) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password};Database={alias}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10) && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                var log = Path.Combine(_home, "pgbouncer.log");
                throw new InvalidOperationException($"PgBouncer did not listen: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "no log")}");
            }
        }
    }
}

using GinoDemo.Tests.Faults;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests.Scaling;

/// <summary>
/// The deployment of docs/scaling.md on loopback, every part a real process: a PostgreSQL primary and its streaming
/// standby (synchronous: <c>synchronous_standby_names</c> names it), PgBouncer in transaction mode in front of both,
/// three published API replicas on PgBouncer (<c>DB_DSN</c>, and <c>DB_READ_DSN</c> on the standby), HAProxy in front of
/// them. The schema is migrated by the API's <c>migrate</c> step on a direct connection to the primary.
/// </summary>
public sealed class Topology : IAsyncDisposable
{
    public const string Database = "gino_demo";
    public const string StandbyName = "standby";
    public const int ReplicaCount = 3;

    /// <summary>Each replica's request pool; with the readiness connection, 3 x 11 = 33 within PgBouncer's 40.</summary>
    public const int PoolMaxSize = 10;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _apiDirectory;
    private readonly ApiProcess?[] _replicas = new ApiProcess?[ReplicaCount];
    private readonly List<ApiProcess> _everyReplica = [];
    private readonly int[] _replicaPorts = [.. Enumerable.Range(0, ReplicaCount).Select(_ => ApiProcess.FreePort())];

    private Topology(string apiDirectory) => _apiDirectory = apiDirectory;

    /// <summary>The server that takes writes (the promoted standby after a failover).</summary>
    public PostgresCluster Primary { get; private set; } = null!;

    /// <summary>The streaming standby; null once it has been promoted.</summary>
    public PostgresCluster? Standby { get; private set; }

    public PgBouncer Bouncer { get; private set; } = null!;

    public HaProxy Proxy { get; private set; } = null!;

    /// <summary>The servers no longer part of the topology (a crashed primary), removed at the end.</summary>
    private List<PostgresCluster> Retired { get; } = [];

    public static async Task<Topology> StartAsync(string apiDirectory)
    {
        var topology = new Topology(apiDirectory);
        try
        {
            await topology.StartDatabasesAsync();
            topology.Bouncer = await PgBouncer.StartAsync(topology.Primary, topology.Standby!);
            for (var i = 0; i < ReplicaCount; i++)
            {
                topology.StartReplica(i);
            }

            for (var i = 0; i < ReplicaCount; i++)
            {
                await topology.Replica(i).WaitForOutputAsync("Now listening", Patience);
                await topology.WarmUpAsync(i);
            }

            topology.Proxy = await HaProxy.StartAsync(topology._replicaPorts);
            for (var i = 0; i < ReplicaCount; i++)
            {
                await topology.Proxy.WaitForStatusAsync(i, "UP", Patience);
            }

            return topology;
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }
    }

    public ApiProcess Replica(int index) => _replicas[index] ?? throw new InvalidOperationException($"Replica {index} is not running.");

    /// <summary>What every replica process printed, those killed or replaced included.</summary>
    public IReadOnlyList<string> ReplicaLogs => [.. _everyReplica.Select(replica => replica.Output)];

    /// <summary>An unpooled connection to the primary's database, beside the API (for the checks).</summary>
    public NpgsqlDataSource PrimaryDataSource() => NpgsqlDataSource.Create(Primary.ConnectionString(Database));

    /// <summary>A replica's settings: production ones, through PgBouncer, behind HAProxy.</summary>
    public IReadOnlyDictionary<string, string> ReplicaEnvironment => new Dictionary<string, string>
    {
        ["DB_DSN"] = Bouncer.ConnectionString(PgBouncer.PrimaryDatabase, Primary.Password),
        // Reads from the standby, through its own PgBouncer database.
        ["DB_READ_DSN"] = Bouncer.ConnectionString(PgBouncer.StandbyDatabase, Primary.Password),
        // Behind PgBouncer 1.18 in transaction mode nothing may be server-prepared (Max Auto Prepare=0 above says the same).
        ["DB_SERVER_PREPARED_STATEMENTS"] = "false",
        ["DB_POOL_MAX_SIZE"] = PoolMaxSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // A replica may start while PgBouncer or the database is not ready (as in a container platform); a busy CI
        // machine may take more than the default 2 s for PgBouncer's SCRAM login and its own login to the server.
        ["DB_RETRY_LIMIT"] = "30",
        ["DB_CONNECT_TIMEOUT"] = "5",
        ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
        // Every simulated client comes from 127.0.0.1: the per-client limit is not what is tested here.
        ["RateLimiting__PermitsPerSecond"] = "1000000",
        ["RateLimiting__Burst"] = "1000000",
    };

    /// <summary>Starts replica <paramref name="index"/> on its port (the one HAProxy knows); returns without waiting.</summary>
    public ApiProcess StartReplica(int index)
    {
        _replicas[index].Should().BeNull($"replica {index} is stopped before it is started again");
        var replica = ApiProcess.Start(_apiDirectory, ReplicaEnvironment, port: _replicaPorts[index], apiDirectory: _apiDirectory);
        _replicas[index] = replica;
        lock (_everyReplica)
        {
            _everyReplica.Add(replica);
        }

        return replica;
    }

    /// <summary><c>kill -9</c> of replica <paramref name="index"/>: no shutdown, its requests in flight get no answer.</summary>
    public async Task KillReplicaAsync(int index)
    {
        await Replica(index).DisposeAsync(); // Process.Kill: SIGKILL
        _replicas[index] = null;
    }

    /// <summary>SIGTERM to replica <paramref name="index"/>, as a rollout stops it; returns once it exited 0.</summary>
    public async Task StopReplicaAsync(int index)
    {
        var replica = Replica(index);
        replica.Terminate();
        (await replica.WaitForExitAsync(Patience)).Should().Be(0, "a replica stopped by SIGTERM exits 0");
        await replica.DisposeAsync();
        _replicas[index] = null;
    }

    /// <summary>
    /// Starts replica <paramref name="index"/> out of rotation (HAProxy's <c>state maint</c>), sends it each kind of
    /// request directly until it answers them (a fresh process compiles its queries on first use, which on a busy
    /// machine takes longer than the request timeout: what a startup probe waits for), then puts it back
    /// (<c>state ready</c>) and waits until HAProxy has it UP.
    /// </summary>
    public async Task StartReplicaInRotationAsync(int index)
    {
        await Proxy.CommandAsync($"set server {HaProxy.Backend}/{HaProxy.Server(index)} state maint");
        await StartReplica(index).WaitForOutputAsync("Now listening", Patience);
        await WarmUpAsync(index);
        await Proxy.CommandAsync($"set server {HaProxy.Backend}/{HaProxy.Server(index)} state ready");
        await Proxy.WaitForStatusAsync(index, "UP", Patience);
    }

    private async Task WarmUpAsync(int index)
    {
        using var client = new HttpClient { BaseAddress = Replica(index).BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await FaultTest.WarmUpAsync(client);
    }

    /// <summary>
    /// The failover of docs/scaling.md: the primary crashes (<c>pg_ctl stop -m immediate</c>), the standby is promoted
    /// (<c>pg_ctl promote</c>), PgBouncer is pointed at it (file rewritten, SIGHUP). Returns when each step ended,
    /// measured by <paramref name="clock"/>.
    /// </summary>
    public async Task<(TimeSpan Crashed, TimeSpan Promoted, TimeSpan Repointed)> FailOverAsync(System.Diagnostics.Stopwatch clock)
    {
        var standby = Standby ?? throw new InvalidOperationException("There is no standby to promote.");
        await Primary.CrashAsync();
        var crashed = clock.Elapsed;
        await standby.PromoteAsync();
        var promoted = clock.Elapsed;
        await Bouncer.RepointAsync(standby, standby);
        var repointed = clock.Elapsed;
        Retired.Add(Primary);
        Primary = standby;
        Standby = null;
        return (crashed, promoted, repointed);
    }

    /// <summary>
    /// Writes every log of the run (each replica process, PgBouncer, HAProxy, each PostgreSQL server) into
    /// <paramref name="folder"/>, for the reader of a failed run.
    /// </summary>
    public async Task SaveLogsAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var logs = ReplicaLogs.Select((log, i) => ($"replica-process-{i + 1}.log", log)).ToList();
        logs.Add(("pgbouncer.log", Bouncer?.Output ?? ""));
        logs.Add(("haproxy.log", Proxy?.Output ?? ""));
        logs.AddRange(new[] { Primary, Standby }.Concat(Retired).OfType<PostgresCluster>().Select(cluster => ($"postgres-{cluster.Port}.log", cluster.ServerLog)));
        foreach (var (name, log) in logs)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, name), log);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        async Task TryAsync(Func<ValueTask> dispose)
        {
            try
            {
                await dispose();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }

        if (Proxy is not null)
        {
            await TryAsync(Proxy.DisposeAsync);
        }

        foreach (var replica in _replicas.OfType<ApiProcess>())
        {
            await TryAsync(replica.DisposeAsync);
        }

        if (Bouncer is not null)
        {
            await TryAsync(Bouncer.DisposeAsync);
        }

        foreach (var cluster in new[] { Standby, Primary }.Concat(Retired).OfType<PostgresCluster>())
        {
            await TryAsync(cluster.DisposeAsync);
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("Stopping the Scaling topology failed.", failures);
        }
    }

    private async Task StartDatabasesAsync()
    {
        Primary = await PostgresCluster.CreateAsync();
        // migrate on a direct connection: its lock on the history table needs a session, which PgBouncer's transaction
        // mode does not keep. It creates the database, which the standby then copies.
        var migrate = ApiProcess.Start(_apiDirectory, new Dictionary<string, string> { ["DB_DSN"] = Primary.Dsn(Database) },
            arguments: ["migrate"], apiDirectory: _apiDirectory);
        await using (migrate)
        {
            (await migrate.WaitForExitAsync(Patience)).Should().Be(0, migrate.Output);
        }

        Standby = await PostgresCluster.CreateStandbyAsync(Primary, StandbyName);
        await using var primary = NpgsqlDataSource.Create(Primary.ConnectionString("postgres"));
        var deadline = DateTime.UtcNow + Patience;
        while (await TestDatabase.CountAsync($"SELECT count(*) FROM pg_stat_replication WHERE application_name = '{StandbyName}' AND state = 'streaming'", primary) == 0)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the standby streams from the primary within a minute");
            await Task.Delay(50);
        }

        // Only now: set before the base backup, the standby would copy it, and once promoted wait for a standby of its own.
        await TestDatabase.ExecuteAsync($"ALTER SYSTEM SET synchronous_standby_names = '{StandbyName}'", primary);
        // Read-your-writes on the standby: a commit is acknowledged once the standby has applied it (DB_READ_DSN's check).
        await TestDatabase.ExecuteAsync("ALTER SYSTEM SET synchronous_commit = remote_apply", primary);
        await TestDatabase.ExecuteAsync("SELECT pg_reload_conf()", primary);
    }
}

using GinoDemo.Tests.Faults;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests.PoolerAndStandby;

/// <summary>
/// The scaling tests' fixture (issue 13): a throwaway primary (<see cref="PostgresCluster"/>) with a streaming standby
/// made by <c>pg_basebackup -R</c>, synchronous with <c>remote_apply</c> for the suite's database (the
/// read-your-writes mechanism the API checks for), and a real PgBouncer in front of the primary. Each is stopped by
/// its process id and removed at the end.
/// </summary>
[SetUpFixture]
public sealed class PoolerAndStandbySuite
{
    public const string Database = "scaling_test";

    /// <summary>
    /// The database behind PgBouncer: a copy of <see cref="Database"/> whose commits do not wait for the standby, so
    /// that the pooler's tests do not depend on it (nor hang while a standby test pauses or stops it).
    /// </summary>
    public const string PooledDatabase = "pooled_test";
    public const string StandbyName = "standby1";

    private static PostgresCluster? _primary;
    private static PostgresCluster? _standby;
    private static PgBouncerPools? _bouncer;

    public static PostgresCluster Primary => _primary ?? throw new InvalidOperationException("The scaling suite is not set up.");

    public static PostgresCluster Standby => _standby ?? throw new InvalidOperationException("The scaling suite is not set up.");

    public static PgBouncerPools Bouncer => _bouncer ?? throw new InvalidOperationException("The scaling suite is not set up.");

    /// <summary>The suite's database on the primary, unpooled, for the checks made beside the API.</summary>
    public static string PrimaryConnectionString => Primary.ConnectionString(Database);

    [OneTimeSetUp]
    public async Task CreateClusters()
    {
        _primary = await PostgresCluster.CreateAsync();
        await Primary.ExecuteAsync($"CREATE DATABASE {Database}");
        var migrate = ApiProcess.Start(Path.GetTempPath(), new Dictionary<string, string> { ["DB_DSN"] = Primary.Dsn(Database) }, arguments: ["migrate"]);
        await using (migrate)
        {
            (await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(0, migrate.Output);
        }

        await Primary.ExecuteAsync($"CREATE DATABASE {PooledDatabase} TEMPLATE {Database}");
        await Primary.ExecuteAsync($"ALTER DATABASE {PooledDatabase} SET synchronous_commit = local");
        _standby = await PostgresCluster.CreateStandbyAsync(Primary, StandbyName);
        await Primary.ExecuteAsync($"ALTER SYSTEM SET synchronous_standby_names = '{StandbyName}'");
        await Primary.ExecuteAsync("SELECT pg_reload_conf()");
        await Primary.ExecuteAsync($"ALTER DATABASE {Database} SET synchronous_commit = remote_apply");
        _bouncer = await PgBouncerPools.StartAsync(Primary, PooledDatabase);
    }

    [OneTimeTearDown]
    public async Task RemoveClusters()
    {
        try
        {
            if (_bouncer is not null)
            {
                await _bouncer.DisposeAsync();
            }
        }
        finally
        {
            try
            {
                if (_standby is not null)
                {
                    await _standby.DisposeAsync();
                }
            }
            finally
            {
                if (_primary is not null)
                {
                    await _primary.DisposeAsync();
                }
            }
        }
    }

    /// <summary>Runs <paramref name="sql"/> on the suite's database on the primary; <c>synchronous_commit = local</c> makes a write that does not wait for the standby.</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}

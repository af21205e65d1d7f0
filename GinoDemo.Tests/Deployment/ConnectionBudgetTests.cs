using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace GinoDemo.Tests.Deployment;

/// <summary>
/// The connection budget of docs/scaling.md, from the numbers in the manifests: the most replicas the autoscaler
/// may run, each with its pool and its readiness connection, fit in the pooler's server connections, which fit in
/// PostgreSQL's <c>max_connections</c>; and read-your-writes on the standbys holds by construction.
/// </summary>
public sealed class ConnectionBudgetTests
{
    // PostgreSQL's superuser_reserved_connections default, and room for the operator's own sessions (the instance
    // manager's status checks, the pooler's auth_query user) and the migration Job's.
    private const int Reserved = 3;
    private const int OperatorAndMigration = 10;

    private static int MaxReplicas => DeployManifests.Autoscaler.Spec.MaxReplicas;

    /// <summary>Per replica: its pool (DB_POOL_MAX_SIZE, else appsettings.json's default) plus the readiness probe's own connection.</summary>
    private static int ConnectionsPerReplica
    {
        get
        {
            var defaults = new ConfigurationBuilder().AddJsonFile(Path.Combine(TestDatabase.RepositoryRoot, "appsettings.json")).Build();
            var pool = DeployManifests.Env(DeployManifests.Api, "DB_POOL_MAX_SIZE") ?? defaults["DB_POOL_MAX_SIZE"];
            return int.Parse(pool!, CultureInfo.InvariantCulture) + 1;
        }
    }

    private static int PoolerServerConnections =>
        (int)DeployManifests.Pooler.SelectToken("spec.instances")! * PgBouncer("default_pool_size");

    private static int MaxConnections => int.Parse((string)DeployManifests.Cluster.SelectToken("spec.postgresql.parameters.max_connections")!, CultureInfo.InvariantCulture);

    [Test]
    public void The_most_replicas_the_autoscaler_runs_fit_in_the_pooler_so_a_request_waits_in_its_own_pool_not_in_PgBouncers_queue()
    {
        (MaxReplicas * ConnectionsPerReplica).Should().BeLessThanOrEqualTo(PoolerServerConnections);
    }

    [Test]
    public void Each_PgBouncer_pod_accepts_every_client_connection_even_if_the_Service_sends_it_all_of_them()
    {
        (MaxReplicas * ConnectionsPerReplica).Should().BeLessThanOrEqualTo(PgBouncer("max_client_conn"));
    }

    [Test]
    public void The_pooler_and_the_operator_fit_in_the_primarys_max_connections()
    {
        (PoolerServerConnections + OperatorAndMigration).Should().BeLessThanOrEqualTo(MaxConnections - Reserved);
    }

    [Test]
    public void The_reads_of_the_most_replicas_fit_in_a_standbys_max_connections()
    {
        (MaxReplicas * ConnectionsPerReplica + OperatorAndMigration).Should().BeLessThanOrEqualTo(MaxConnections - Reserved);
    }

    [Test]
    public void Every_standby_the_reads_may_reach_applies_a_commit_before_it_is_acknowledged()
    {
        var cluster = DeployManifests.Cluster;

        ((string?)cluster.SelectToken("spec.postgresql.parameters.synchronous_commit")).Should().Be("remote_apply");
        ((string?)cluster.SelectToken("spec.postgresql.synchronous.method")).Should().Be("any");
        ((int)cluster.SelectToken("spec.postgresql.synchronous.number")!).Should().Be(
            (int)cluster.SelectToken("spec.instances")! - 1, "the -ro service may send a read to any standby, so each one must be in the quorum");
    }

    private static int PgBouncer(string parameter) =>
        int.Parse((string)DeployManifests.Pooler.SelectToken($"spec.pgbouncer.parameters.{parameter}")!, CultureInfo.InvariantCulture);
}

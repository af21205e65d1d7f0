using System.Net;
using GinoDemo.Data.Connections;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests.PoolerAndStandby;

/// <summary>
/// The start-up's shortcut past the session-sharing probe: proven only for a connection that reaches PostgreSQL
/// itself, never through PgBouncer (either pool mode) or a TCP proxy.
/// </summary>
public sealed class DirectServerCheckTests : PoolerAndStandbyTest
{
    [Test]
    public async Task A_connection_to_PostgreSQL_itself_is_proven_direct()
    {
        (await IsDirectAsync(PoolerAndStandbySuite.PrimaryConnectionString)).Should().BeTrue();
    }

    [Test]
    public async Task A_host_name_that_resolves_to_the_server_is_proven_direct()
    {
        var byName = new NpgsqlConnectionStringBuilder(PoolerAndStandbySuite.PrimaryConnectionString) { Host = "localhost" };

        (await IsDirectAsync(byName.ConnectionString)).Should().BeTrue();
    }

    [TestCase(PgBouncerPools.TransactionPool)]
    [TestCase(PgBouncerPools.SessionPool)]
    public async Task A_connection_through_PgBouncer_is_not(string pool)
    {
        (await IsDirectAsync(PoolerAndStandbySuite.Bouncer.ConnectionString(pool))).Should().BeFalse();
    }

    [Test]
    public async Task A_connection_through_a_TCP_proxy_is_not()
    {
        var port = ApiProcess.FreePort();
        await using var proxy = new TcpForwarder(port, "127.0.0.1", PoolerAndStandbySuite.Primary.Port);
        proxy.Start();
        var throughProxy = new NpgsqlConnectionStringBuilder(PoolerAndStandbySuite.PrimaryConnectionString) { Port = port };

        (await IsDirectAsync(throughProxy.ConnectionString)).Should().BeFalse();
    }

    [Test]
    public async Task A_proxy_on_the_servers_own_port_at_another_address_is_not()
    {
        // Only the address can tell this one apart: PostgreSQL listens on 127.0.0.1, the proxy on 127.0.0.2, same port.
        var port = PoolerAndStandbySuite.Primary.Port;
        await using var proxy = new TcpForwarder(port, "127.0.0.1", port, IPAddress.Parse("127.0.0.2"));
        proxy.Start();
        var throughProxy = new NpgsqlConnectionStringBuilder(PoolerAndStandbySuite.PrimaryConnectionString) { Host = "127.0.0.2" };

        (await IsDirectAsync(throughProxy.ConnectionString)).Should().BeFalse();
    }

    private static async Task<bool> IsDirectAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await DirectServerCheck.IsDirectAsync(dataSource, CancellationToken.None);
    }
}

using GinoDemo.Data.Connections;

namespace GinoDemo.Tests.PoolerAndStandby;

/// <summary>
/// The probe that finds a transaction-mode pooler, against real PostgreSQL and real PgBouncer 1.18: it sees sharing
/// exactly where sessions are shared, and the lost prepared statements where the pooler cannot keep them.
/// </summary>
public sealed class SessionSharingProbeTests : PoolerAndStandbyTest
{
    [Test]
    public async Task A_direct_connection_has_sessions_of_its_own()
    {
        var found = await SessionSharingProbe.RunAsync(PoolerAndStandbySuite.PrimaryConnectionString, prepare: true, CancellationToken.None);

        found.Should().Be(new SessionSharing(Shared: false, PreparedStatementsFail: false));
    }

    [Test]
    public async Task A_session_mode_pool_has_sessions_of_its_own()
    {
        var found = await SessionSharingProbe.RunAsync(PoolerAndStandbySuite.Bouncer.ConnectionString(PgBouncerPools.SessionPool), prepare: true, CancellationToken.None);

        found.Should().Be(new SessionSharing(Shared: false, PreparedStatementsFail: false));
    }

    [Test]
    public async Task A_transaction_mode_pool_shares_sessions()
    {
        var found = await SessionSharingProbe.RunAsync(PoolerAndStandbySuite.Bouncer.ConnectionString(PgBouncerPools.TransactionPool), prepare: false, CancellationToken.None);

        found.Should().Be(new SessionSharing(Shared: true, PreparedStatementsFail: false));
    }

    [Test]
    public async Task A_transaction_mode_pool_of_PgBouncer_1_18_loses_prepared_statements()
    {
        var found = await SessionSharingProbe.RunAsync(PoolerAndStandbySuite.Bouncer.ConnectionString(PgBouncerPools.TransactionPool), prepare: true, CancellationToken.None);

        found.Should().Be(new SessionSharing(Shared: true, PreparedStatementsFail: true));
    }
}

using GinoDemo.Data.Connections;

namespace GinoDemo.Tests.Scaling;

/// <summary>
/// The probe that finds a transaction-mode pooler, against real PostgreSQL and real PgBouncer 1.18: it sees sharing
/// exactly where sessions are shared, and the lost prepared statements where the pooler cannot keep them.
/// </summary>
public sealed class SessionSharingProbeTests : ScalingTest
{
    [Test]
    public async Task A_direct_connection_has_sessions_of_its_own()
    {
        var found = await SessionSharingProbe.RunAsync(ScalingSuite.PrimaryConnectionString, prepare: true, CancellationToken.None);

        found.Should().Be(new SessionSharing(Shared: false, PreparedStatementsFail: false));
    }

    [Test]
    public async Task A_session_mode_pool_has_sessions_of_its_own()
    {
        var found = await SessionSharingProbe.RunAsync(ScalingSuite.Bouncer.ConnectionString(PgBouncer.SessionPool), prepare: true, CancellationToken.None);

        found.Should().Be(new SessionSharing(Shared: false, PreparedStatementsFail: false));
    }

    [Test]
    public async Task A_transaction_mode_pool_shares_sessions()
    {
        var found = await SessionSharingProbe.RunAsync(ScalingSuite.Bouncer.ConnectionString(PgBouncer.TransactionPool), prepare: false, CancellationToken.None);

        found.Should().Be(new SessionSharing(Shared: true, PreparedStatementsFail: false));
    }

    [Test]
    public async Task A_transaction_mode_pool_of_PgBouncer_1_18_loses_prepared_statements()
    {
        var found = await SessionSharingProbe.RunAsync(ScalingSuite.Bouncer.ConnectionString(PgBouncer.TransactionPool), prepare: true, CancellationToken.None);

        found.Should().Be(new SessionSharing(Shared: true, PreparedStatementsFail: true));
    }
}

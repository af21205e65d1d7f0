using System.Data;
using Npgsql;

namespace GinoDemo.Data.Connections;

/// <summary>
/// Finds out whether the connections of a DSN share PostgreSQL sessions, as they do through a pooler in transaction
/// or statement mode (PgBouncer's <c>pool_mode = transaction</c>, CloudNativePG's <c>Pooler</c> with
/// <c>poolMode: transaction</c>), and whether server-prepared statements survive that.
/// </summary>
/// <remarks>
/// Two client connections are opened side by side. The first runs one statement, and so, through a transaction
/// pooler, gives its server session back at once; the second then runs the same statement, and the first once more;
/// <see cref="Rounds"/> times. Directly, or through a session-mode pooler or a TCP proxy, a session belongs to one
/// client connection until it closes, so the second can never see the first's <c>pg_backend_pid()</c> while the first
/// is open, and each keeps its own: <b>the same pid on both, or a pid that changes, proves sharing</b>, whatever the
/// pooler. A transaction pooler hands the second the session the first just released (PgBouncer
/// reuses the most recently released one first, its default <c>server_round_robin = 0</c>), so it is seen at once on
/// an idle pooler; under other traffic the second may get another session, so the probe can miss sharing, never
/// invent it. With prepare on, both statements are server-prepared as the API prepares them, under
/// the same Npgsql name: where the pooler cannot keep prepared statements (PgBouncer before 1.21, or later ones
/// with <c>max_prepared_statements = 0</c>) the second fails with 42P05 "already exists" or 26000 "does not exist",
/// which is what the API's requests would meet; PgBouncer 1.21+ with <c>max_prepared_statements</c> renames them and
/// both succeed. SHOW-based detection is not used: a pooler's SHOW commands answer only on its admin console, which
/// the API's DSN does not reach.
/// </remarks>
public static class SessionSharingProbe
{
    /// <param name="connectionString">The DSN to probe; its pool settings are ignored (two unpooled connections are opened and closed).</param>
    /// <param name="prepare">Server-prepare the probe's statement, as the API does with <c>DB_SERVER_PREPARED_STATEMENTS</c>.</param>
    /// <param name="cancellationToken">Ends the probe.</param>
    /// <exception cref="NpgsqlException">The server cannot be reached (not a finding of the probe).</exception>
    public static async Task<SessionSharing> RunAsync(string connectionString, bool prepare, CancellationToken cancellationToken)
    {
        var probe = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, MaxAutoPrepare = 0 };
        probe.ApplicationName = (probe.ApplicationName ?? "") + " session probe";
        // No type loading: the probe reads one int4, and Npgsql would otherwise read PostgreSQL's type catalog on the
        // first connection of every data source (Npgsql 9.0 release notes, "type loading").
        var builder = new NpgsqlDataSourceBuilder(probe.ConnectionString);
        builder.ConfigureTypeLoading(typeLoading => typeLoading.EnableTypeLoading(false));
        await using var dataSource = builder.Build();
        await using var first = dataSource.CreateConnection();
        await using var second = dataSource.CreateConnection();
        // Opened side by side and kept for every round: opening (a login, SCRAM included) costs far more than a
        // one-row statement, and this runs at every start.
        await Task.WhenAll(first.OpenAsync(cancellationToken), second.OpenAsync(cancellationToken));
        await using var firstCommand = new NpgsqlCommand("SELECT pg_backend_pid()", first);
        await using var secondCommand = new NpgsqlCommand("SELECT pg_backend_pid()", second);
        try
        {
            // A client connection that owns its session sees one pid, never the other connection's; any other
            // sighting proves sharing. A round can miss it (another client took the released session), never invent
            // it, so the probe looks a few times before it concludes that sessions are not shared.
            HashSet<int> firstPids = [], secondPids = [];
            for (var round = 0; round < Rounds; round++)
            {
                firstPids.Add(await BackendPidAsync(firstCommand, prepare, cancellationToken));
                secondPids.Add(await BackendPidAsync(secondCommand, prepare, cancellationToken));
                // The first's statement again: through a pooler that lost it, a session without it (26000).
                firstPids.Add(await BackendPidAsync(firstCommand, prepare: false, cancellationToken));
                if (firstPids.Count > 1 || secondPids.Count > 1 || firstPids.Overlaps(secondPids))
                {
                    return new SessionSharing(Shared: true, PreparedStatementsFail: false);
                }
            }

            return new SessionSharing(Shared: false, PreparedStatementsFail: false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicatePreparedStatement or PostgresErrorCodes.InvalidSqlStatementName)
        {
            return new SessionSharing(Shared: true, PreparedStatementsFail: true);
        }
        finally
        {
            // Through a transaction pooler the statements stay in whichever session ran them; take them back out
            // (Close of a statement the session does not have is no error). Best effort, and only on a connection still
            // open: the probe's finding, or the failure that ended it, stands.
            foreach (var command in new[] { firstCommand, secondCommand }.Where(command => command.IsPrepared && command.Connection?.State == ConnectionState.Open))
            {
                try
                {
                    await command.UnprepareAsync(CancellationToken.None);
                }
                catch (NpgsqlException)
                {
                }
            }
        }
    }

    /// <summary>How many times the probe looks before it concludes that sessions are not shared.</summary>
    public const int Rounds = 3;

    private static async Task<int> BackendPidAsync(NpgsqlCommand command, bool prepare, CancellationToken cancellationToken)
    {
        if (prepare && !command.IsPrepared)
        {
            await command.PrepareAsync(cancellationToken);
        }

        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

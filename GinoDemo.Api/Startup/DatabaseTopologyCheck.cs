using GinoDemo.Api.Standby;
using GinoDemo.Data.Configuration;
using GinoDemo.Data.Connections;
using Npgsql;

namespace GinoDemo.Api.Startup;

/// <summary>
/// What the settings ask of the way the database is reached, checked once it answers, before serving or migrating:
/// server-prepared statements and <c>migrate</c>'s session advisory lock need sessions of their own (not a pooler
/// in transaction mode, <see cref="SessionSharingProbe"/>); reads on a standby need a primary that waits for the
/// standby to apply each commit (<see cref="SynchronousStandbyCheck"/>). A mismatch is a person's mistake: one line
/// naming the setting, exit code <see cref="ExitCodes.InvalidSettings"/>.
/// </summary>
internal static partial class DatabaseTopologyCheck
{
    /// <returns>The line that says what to change, or null when the settings fit.</returns>
    public static async Task<string?> FindMistakeAsync(
        DatabaseOptions options, NpgsqlDataSource primary, bool migrating, ILogger logger, CancellationToken cancellationToken)
    {
        // Directly on PostgreSQL nothing can share sessions: the probe's two logins are spent only where that is not proven.
        SessionSharing sharing;
        if (await DirectServerCheck.IsDirectAsync(primary, cancellationToken))
        {
            LogDirect(logger);
            sharing = new SessionSharing(Shared: false, PreparedStatementsFail: false);
        }
        else
        {
            sharing = await SessionSharingProbe.RunAsync(options.ConnectionString, options.ServerPreparedStatements && !migrating, cancellationToken);
        }
        if (sharing.Shared && migrating)
        {
            return "migrate holds a PostgreSQL session advisory lock for its whole run, but DB_DSN reaches a pooler in transaction mode "
                + "(two connections were given one server session): point DB_DSN of the migrate step at PostgreSQL itself or at a session-mode pool.";
        }

        if (sharing.PreparedStatementsFail)
        {
            return "DB_SERVER_PREPARED_STATEMENTS is on, but DB_DSN reaches a pooler in transaction mode that cannot keep server-prepared "
                + "statements (42P05/26000; PgBouncer before 1.21): set DB_SERVER_PREPARED_STATEMENTS=false.";
        }

        if (sharing.Shared)
        {
            LogTransactionPooler(logger, "DB_DSN", options.ServerPreparedStatements ? "keeps server-prepared statements" : "prepares nothing (DB_SERVER_PREPARED_STATEMENTS=false)");
        }

        if (migrating || options.ReadConnectionString is not { } read)
        {
            return null;
        }

        if (await SynchronousStandbyCheck.FindMistakeAsync(primary, cancellationToken) is { } mistake)
        {
            return mistake;
        }

        try
        {
            var standby = await SessionSharingProbe.RunAsync(read, options.ServerPreparedStatements, cancellationToken);
            if (standby.PreparedStatementsFail)
            {
                return "DB_SERVER_PREPARED_STATEMENTS is on, but DB_READ_DSN reaches a pooler in transaction mode that cannot keep server-prepared "
                    + "statements (42P05/26000; PgBouncer before 1.21): set DB_SERVER_PREPARED_STATEMENTS=false.";
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // A standby that is down is no mistake: reads go to the primary until it answers (StandbyProbe).
            LogStandbyUnreachable(logger, e.Message);
        }

        return null;
    }

    [LoggerMessage(LogLevel.Debug, "DB_DSN reaches PostgreSQL itself (the server accepted the session on the DSN's address and port): no pooler can share its sessions")]
    private static partial void LogDirect(ILogger logger);

    [LoggerMessage(LogLevel.Information, "{Key} reaches a pooler in transaction mode, which {Finding}")]
    private static partial void LogTransactionPooler(ILogger logger, string key, string finding);

    [LoggerMessage(LogLevel.Warning, "The standby of DB_READ_DSN does not answer yet; reads go to the primary until it does ({Reason})")]
    private static partial void LogStandbyUnreachable(ILogger logger, string reason);
}

using System.Data;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace GinoDemo.Data.Connections;

/// <summary>
/// Retries an operation (a query, a <c>SaveChanges</c>, or a whole transaction run through
/// <c>Database.CreateExecutionStrategy().ExecuteAsync</c>) only after a failure that proves PostgreSQL ran nothing of
/// it and committed nothing (<see cref="NotRunFailure"/>): no connection could be opened; a prepared statement went
/// stale under a schema change; the server had closed the session while it sat idle. A failure after a statement may
/// have reached the server (a connection dropped mid-command, a lost commit acknowledgement, 57P01 from
/// <c>pg_terminate_backend</c> or a fast shutdown, which PostgreSQL also raises after a COMMIT has run) is never
/// retried: retrying an INSERT then could store a second row. Those end as 503 for the client to retry.
/// </summary>
/// <remarks>
/// Each kind has its own budget. Connect failures: 3 retries, 100, 200 and 400 ms apart (under a second, inside the
/// request timeout). A stale prepared statement and a session closed while idle: one retry each, at once, on a
/// connection opened after the failure: the pool is cleared first (Npgsql's <c>NpgsqlDataSource.Clear</c>: idle
/// connections close now, busy ones when returned), since every pooled connection carries the same stale statements
/// or was closed by the same server limit, and this request's own connection is closed, so the retry cannot meet
/// the same fault on another old connection.
/// </remarks>
public sealed class RetryWhatDidNotRunExecutionStrategy(ExecutionStrategyDependencies dependencies, NpgsqlDataSource dataSource)
    : ExecutionStrategy(dependencies, MaxConnectRetries + 2, TimeSpan.FromMilliseconds(400))
{
    public const int MaxConnectRetries = 3;

    /// <summary>SQLSTATE 25P03 idle_in_transaction_session_timeout (PostgreSQL, Appendix A "Error Codes").</summary>
    public const string IdleInTransactionSessionTimeout = "25P03";

    /// <summary>The C function that raises "cached plan must not change result type" (plancache.c); not localized.</summary>
    public const string StalePlanRoutine = "RevalidateCachedQuery";

    /// <summary>Which failure this is, if PostgreSQL provably ran nothing of the statement that met it.</summary>
    public static NotRunFailure Classify(Exception? exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections } => NotRunFailure.Connect,
        // 0A000 alone is any feature_not_supported; the routine names the plan-cache check, whatever lc_messages says.
        PostgresException { SqlState: PostgresErrorCodes.FeatureNotSupported, Routine: StalePlanRoutine } => NotRunFailure.StalePreparedStatement,
        PostgresException { SqlState: PostgresErrorCodes.IdleSessionTimeout or IdleInTransactionSessionTimeout } => NotRunFailure.SessionClosedWhileIdle,
        // Npgsql wraps a refused or unreachable connect as NpgsqlException(SocketException); a connection that
        // breaks mid-command surfaces as NpgsqlException(IOException) instead.
        NpgsqlException { InnerException: SocketException } => NotRunFailure.Connect,
        _ => NotRunFailure.None,
    };

    protected override bool ShouldRetryOn(Exception exception) => Classify(exception) != NotRunFailure.None;

    protected override TimeSpan? GetNextDelay(Exception lastException)
    {
        var failure = Classify(Unwrap(lastException));
        var seen = ExceptionsEncountered.Count(encountered => Classify(Unwrap(encountered)) == failure);
        return failure switch
        {
            NotRunFailure.Connect when seen <= MaxConnectRetries => TimeSpan.FromMilliseconds(100 << (seen - 1)),
            NotRunFailure.StalePreparedStatement or NotRunFailure.SessionClosedWhileIdle when seen == 1 => TimeSpan.Zero,
            _ => null,
        };
    }

    protected override void OnRetry()
    {
        if (Classify(Unwrap(ExceptionsEncountered[^1])) is NotRunFailure.StalePreparedStatement or NotRunFailure.SessionClosedWhileIdle)
        {
            dataSource.Clear();
            // The request may keep its connection open (DB_USE_CONNECTION_FOR_REQUEST): close it behind EF's back so
            // that the retry opens one from the cleared pool. EF opens a closed connection again for the next command.
            var connection = Dependencies.CurrentContext.Context.Database.GetDbConnection();
            if (connection.State != ConnectionState.Closed)
            {
                connection.Close();
            }
        }
    }

    /// <summary>EF wraps a failed SaveChanges in DbUpdateException; the provider's exception is inside.</summary>
    private static Exception? Unwrap(Exception exception) => CallOnWrappedException(exception, inner => inner);
}

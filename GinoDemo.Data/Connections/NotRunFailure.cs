namespace GinoDemo.Data.Connections;

/// <summary>
/// The failures after which PostgreSQL provably ran nothing of the failed statement, nor committed anything of its
/// transaction: the only ones <see cref="RetryWhatDidNotRunExecutionStrategy"/> retries.
/// </summary>
public enum NotRunFailure
{
    /// <summary>Anything else: the statement may have run, or will fail again. Never retried.</summary>
    None,

    /// <summary>
    /// No connection: refused or unreachable (a socket error while connecting), the server starting up (57P03) or
    /// out of connection slots (53300). Nothing was sent.
    /// </summary>
    Connect,

    /// <summary>
    /// 0A000 raised by PostgreSQL's <c>RevalidateCachedQuery</c> (plancache.c): "cached plan must not change result
    /// type". A prepared statement's result columns changed under it (a migration altered a column's type); the
    /// server refuses it at Bind, before executing anything.
    /// </summary>
    StalePreparedStatement,

    /// <summary>
    /// The server closed the session while it sat idle: 57P05 (<c>idle_session_timeout</c>) or 25P03
    /// (<c>idle_in_transaction_session_timeout</c>, the transaction rolled back). PostgreSQL arms these timers only
    /// while it waits for the next message, and after reading one disables them before it checks for interrupts and
    /// before it processes the message (postgres.c, PostgresMain steps 4-5), so the statement that meets the error
    /// was never processed.
    /// </summary>
    SessionClosedWhileIdle,
}

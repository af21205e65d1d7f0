using GinoDemo.Api.Health;
using GinoDemo.Data.Connections;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace GinoDemo.Api.Errors;

/// <summary>
/// A database that is down, restarting or out of connections is the service being unavailable (503, retry
/// shortly), not the server failing (500). So is a failure that the execution strategy retries but that came back
/// (<see cref="RetryWhatDidNotRunExecutionStrategy.Classify"/>): a prepared statement stale again because a second
/// migration step landed during the retry, a session closed again. Connections found broken are dropped from the
/// pool at once, so the requests after a database restart get fresh ones instead of failing one idle connection at a
/// time.
/// </summary>
internal sealed partial class DatabaseUnavailableExceptionHandler(
    NpgsqlDataSource dataSource, PreparedStatementAlarm preparedStatements, ILogger<DatabaseUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 1;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (FindUnavailable(exception) is not { } cause)
        {
            return false;
        }

        if (cause is NpgsqlException { InnerException: IOException or System.Net.Sockets.SocketException }
            or PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction or ['0', '8', ..] })
        {
            dataSource.Clear();
        }

        if (cause is PostgresException { SqlState: PostgresErrorCodes.DuplicatePreparedStatement or PostgresErrorCodes.InvalidSqlStatementName }
            && preparedStatements.Raise())
        {
            LogPreparedStatementsFail(logger, PreparedStatementAlarm.Advice);
        }

        LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, cause.Message);
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ProblemResponses.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable,
            $"The database is unavailable; retry after {RetryAfterSeconds} s.");
        return true;
    }

    /// <summary>EF wraps the provider's exception (DbUpdateException, retry limit exceeded): look down the chain.</summary>
    private static Exception? FindUnavailable(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            // 25006: a write reached a server that is now a read-only standby, as after a failover.
            // 42P05/26000: prepared statements through a transaction pooler, nothing ran (PreparedStatementAlarm).
            // Class 08 sent as an error by a pooler whose server connection died (PgBouncer's 08P01 "server conn
            // crashed?" in a failover): the database is unreachable, not the request wrong.
            if (exception is NpgsqlException { IsTransient: true } or TimeoutException
                    or PostgresException { SqlState: ['0', '8', ..] }
                    or PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.DuplicatePreparedStatement or PostgresErrorCodes.InvalidSqlStatementName }
                || RetryWhatDidNotRunExecutionStrategy.Classify(exception) != NotRunFailure.None)
            {
                return exception;
            }
        }

        return null;
    }

    [LoggerMessage(LogLevel.Critical, "Not ready from now on: {Advice}")]
    private static partial void LogPreparedStatementsFail(ILogger logger, string advice);

    [LoggerMessage(LogLevel.Warning, "{Method} {Path}: database unavailable, answered 503 ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string reason);
}

using GinoDemo.Data;
using Npgsql;

namespace GinoDemo.Api.Standby;

/// <summary>
/// Runs a read on the standby when <see cref="StandbyRouting"/> says so, else (and when the standby cannot be
/// reached, or cancelled the query for a conflict with recovery) on the primary. Only reads that need no
/// precondition against the primary's latest state come here: <c>GET /users/{id}</c> and <c>GET /users</c>. Writes,
/// the version a PATCH/DELETE checks and idempotency keys stay on the primary. Read-your-writes holds because the
/// primary commits with <c>synchronous_commit = remote_apply</c> (checked at start, <see cref="SynchronousStandbyCheck"/>).
/// </summary>
public sealed partial class StandbyReads(StandbyRouting routing, StandbyContexts standby, ILogger<StandbyReads> logger)
{
    /// <param name="primary">The request's context on the primary.</param>
    /// <param name="read">The read; its <c>bool</c> says whether the context is the standby's (compiled queries differ).</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    public async Task<T> RunAsync<T>(UsersDbContext primary, Func<UsersDbContext, bool, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (standby.IsConfigured && routing.ServesReads)
        {
            await using var context = standby.CreateContext();
            try
            {
                return await read(context, true, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && StandbyFailure(e) is { } failure)
            {
                if (failure is not PostgresException { SqlState: PostgresErrorCodes.SerializationFailure }
                    && routing.Set(servesReads: false, $"the standby is unreachable ({failure.Message})"))
                {
                    LogFellBack(logger, failure.Message);
                }
            }
        }

        return await read(primary, false, cancellationToken);
    }

    /// <summary>
    /// What sends a read back to the primary: no connection to the standby (refused, down, starting: 57P03, pool
    /// timeout; through a pooler, its class 08 errors such as PgBouncer's 08P01 "server login has been failing"), or 40001 "canceling statement due to conflict with recovery" (hot standby). EF may wrap it.
    /// </summary>
    private static Exception? StandbyFailure(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is NpgsqlException { IsTransient: true } or TimeoutException
                or PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown or ['0', '8', ..] })
            {
                return exception;
            }
        }

        return null;
    }

    [LoggerMessage(LogLevel.Warning, "Reads go to the primary: the standby is unreachable ({Reason})")]
    private static partial void LogFellBack(ILogger logger, string reason);
}

using System.Net.Sockets;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace GinoDemo.Data.Connections;

/// <summary>
/// Retries an operation only when the database could not be reached at all: the connection was refused, or the
/// server said it cannot accept connections yet. Nothing was sent, so nothing can run twice. A failure after a
/// statement may have reached the server (a connection dropped mid-command, a lost commit acknowledgement) is
/// never retried here: retrying an INSERT then could store a second row. Those end as 503 for the client to retry.
/// </summary>
/// <remarks>Three retries, 100, 200 and 400 ms apart: under a second, well inside the request timeout.</remarks>
public sealed class ConnectFailureExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : ExecutionStrategy(dependencies, MaxRetries, TimeSpan.FromMilliseconds(400))
{
    public const int MaxRetries = 3;

    /// <summary>True for failures that happen before any statement is sent.</summary>
    public static bool IsConnectFailure(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections,
        // Npgsql wraps a refused or unreachable connect as NpgsqlException(SocketException); a connection that
        // breaks mid-command surfaces as NpgsqlException(IOException) instead.
        NpgsqlException { InnerException: SocketException } => true,
        _ => false,
    };

    protected override bool ShouldRetryOn(Exception exception) => IsConnectFailure(exception);

    protected override TimeSpan? GetNextDelay(Exception lastException) =>
        base.GetNextDelay(lastException) is null ? null : TimeSpan.FromMilliseconds(100 << (ExceptionsEncountered.Count - 1));
}

using GinoDemo.Data.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GinoDemo.Data.Connections;

/// <summary>The wait for the database at startup, shared by the API, its <c>migrate</c> step and <c>dotnet ef</c>.</summary>
public static partial class DatabaseStartupWait
{
    /// <summary>The log category of the database's lifecycle: connecting, waiting, migrating, closing.</summary>
    public const string LoggerCategory = "GinoDemo.Database";

    /// <summary>
    /// gino-starlette's startup: up to <c>DB_RETRY_LIMIT</c> attempts, <c>DB_RETRY_INTERVAL</c> apart.
    /// On success the pool holds its minimum size of open connections. <paramref name="acceptMissingDatabase"/> counts a
    /// server that answers "no such database" as up: migrations create the database.
    /// </summary>
    public static async Task<bool> WaitAsync(
        NpgsqlDataSource dataSource, DatabaseOptions options, ILogger logger, CancellationToken cancellationToken, bool acceptMissingDatabase = false)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        LogConnecting(logger, options.DisplayDsn);
        try
        {
            return await RetryAsync(dataSource, options, logger, acceptMissingDatabase, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<bool> RetryAsync(
        NpgsqlDataSource dataSource, DatabaseOptions options, ILogger logger, bool acceptMissingDatabase, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await OpenPoolAsync(dataSource, options.PoolMinSize, cancellationToken);
                LogPoolCreated(logger, options.DisplayDsn, options.PoolMinSize, options.PoolMaxSize);
                return true;
            }
            catch (PostgresException e) when (acceptMissingDatabase && e.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                LogServerUp(logger, options.DisplayDsn);
                return true;
            }
            catch (Exception e) when (IsConnectionFailure(e) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= options.RetryLimit)
                {
                    LogGaveUp(logger, e.Message, ConnectionFailureAdvice.For(e, options));
                    return false;
                }

                LogWaiting(logger, e.Message);
                await Task.Delay(options.RetryInterval, cancellationToken);
            }
        }
    }

    private static async Task OpenPoolAsync(NpgsqlDataSource dataSource, int minSize, CancellationToken cancellationToken)
    {
        var connections = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < Math.Max(minSize, 1); i++)
            {
                connections.Add(await dataSource.OpenConnectionAsync(cancellationToken));
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException;

    [LoggerMessage(LogLevel.Information, "Connecting to the database: {Dsn}")]
    private static partial void LogConnecting(ILogger logger, string dsn);

    [LoggerMessage(LogLevel.Information, "Waiting for the database to start... ({Reason})")]
    private static partial void LogWaiting(ILogger logger, string reason);

    /// <summary>The one line a person reads when the service cannot start: what failed, then what to change.</summary>
    [LoggerMessage(LogLevel.Error, "Cannot connect to the database; max retries reached. ({Reason}) {Advice}")]
    private static partial void LogGaveUp(ILogger logger, string reason, string advice);

    [LoggerMessage(LogLevel.Information, "Database connection pool created: {Dsn} (min size {MinSize}, max size {MaxSize})")]
    private static partial void LogPoolCreated(ILogger logger, string dsn, int minSize, int maxSize);

    [LoggerMessage(LogLevel.Information, "The server is up; the database does not exist yet and migrations will create it: {Dsn}")]
    private static partial void LogServerUp(ILogger logger, string dsn);

}

using GinoDemo.Data.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GinoDemo.Data;

/// <summary>How every entry point (API, <c>dotnet ef</c>, tests) turns <see cref="DatabaseOptions"/> into a pool and a context.</summary>
public static partial class GinoDatabase
{
    public const string LoggerCategory = "GinoDemo.Database";

    /// <summary>"GinoMigr" in ASCII: the advisory lock that replicas migrating at once queue on.</summary>
    private const long MigrationLockKey = 0x47696E6F4D696772;

    /// <summary>The pool for <paramref name="options"/>, or for <paramref name="connectionString"/> (a smaller pool, say) when given.</summary>
    public static NpgsqlDataSource CreateDataSource(DatabaseOptions options, ILoggerFactory loggerFactory, string? connectionString = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new NpgsqlDataSourceBuilder(connectionString ?? options.ConnectionString).UseLoggerFactory(loggerFactory).Build();
    }

    public static TBuilder UseGinoDatabase<TBuilder>(this TBuilder builder, NpgsqlDataSource dataSource, DatabaseOptions options)
        where TBuilder : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.UseNpgsql(dataSource, npgsql => npgsql
                .MigrationsAssembly(typeof(GinoDbContext).Assembly.GetName().Name)
                .ExecutionStrategy(dependencies => new ConnectionRetryStrategy(dependencies)))
            // DB_ECHO: every statement at Information (shown by default), otherwise at Debug (hidden by default).
            .ConfigureWarnings(warnings => warnings.Log(
                (RelationalEventId.CommandExecuted, options.Echo ? LogLevel.Information : LogLevel.Debug),
                // Expected while waiting for a database that starts late or does not exist yet; a request that
                // fails on it is logged with its context by the API.
                (RelationalEventId.ConnectionError, LogLevel.Debug)));
        if (options.UseConnectionForRequest)
        {
            builder.AddInterceptors(KeepConnectionOpenInterceptor.Instance);
        }

        return builder;
    }

    /// <summary>
    /// gino-starlette's startup: up to <c>DB_RETRY_LIMIT</c> attempts, <c>DB_RETRY_INTERVAL</c> apart.
    /// On success the pool holds its minimum size of open connections. <paramref name="serverIsEnough"/> counts a
    /// server that answers "no such database" as up: migrations create the database.
    /// </summary>
    public static async Task<bool> WaitForDatabaseAsync(
        NpgsqlDataSource dataSource, DatabaseOptions options, ILogger logger, CancellationToken cancellationToken, bool serverIsEnough = false)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        LogConnecting(logger, options.DisplayDsn);
        try
        {
            return await RetryAsync(dataSource, options, logger, serverIsEnough, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<bool> RetryAsync(
        NpgsqlDataSource dataSource, DatabaseOptions options, ILogger logger, bool serverIsEnough, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await OpenPoolAsync(dataSource, options.PoolMinSize, cancellationToken);
                LogPoolCreated(logger, options.DisplayDsn, options.PoolMinSize, options.PoolMaxSize);
                return true;
            }
            catch (PostgresException e) when (serverIsEnough && e.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                LogServerUp(logger, options.DisplayDsn);
                return true;
            }
            catch (Exception e) when (IsConnectionFailure(e) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= options.RetryLimit)
                {
                    LogGaveUp(logger, e.Message);
                    return false;
                }

                LogWaiting(logger, e.Message);
                await Task.Delay(options.RetryInterval, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Applies pending migrations. Safe when several replicas do it at once: each holds a session-level advisory
    /// lock for the whole run (EF Core's own lock ends with the first migration's transaction, which let two
    /// replicas apply the same later migration), so the others wait and then find nothing left to do. Two replicas
    /// creating a missing database at the same moment can collide; the loser finds it there.
    /// </summary>
    public static async Task MigrateAsync(GinoDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var creator = db.GetService<IRelationalDatabaseCreator>();
        try
        {
            if (!await creator.ExistsAsync(cancellationToken))
            {
                await creator.CreateAsync(cancellationToken);
            }
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            LogMigrationCollided(logger, e.MessageText);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            LogMigrated(logger, pending.Count, pending.Count == 0 ? "none pending" : string.Join(", ", pending));
        }
        finally
        {
            // Explicitly: a pooled connection's session outlives Close, and with it the lock.
            try
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // The session is gone, and its lock with it.
            }

            await db.Database.CloseConnectionAsync();
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

    [LoggerMessage(LogLevel.Error, "Cannot connect to the database; max retries reached. ({Reason})")]
    private static partial void LogGaveUp(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Information, "Database connection pool created: {Dsn} (min size {MinSize}, max size {MaxSize})")]
    private static partial void LogPoolCreated(ILogger logger, string dsn, int minSize, int maxSize);

    [LoggerMessage(LogLevel.Information, "The server is up; the database does not exist yet and migrations will create it: {Dsn}")]
    private static partial void LogServerUp(ILogger logger, string dsn);

    [LoggerMessage(LogLevel.Information, "Schema up to date; applied {Count} migration(s): {Migrations}")]
    private static partial void LogMigrated(ILogger logger, int count, string migrations);

    [LoggerMessage(LogLevel.Information, "Another replica created the database at the same moment ({Reason}); going on")]
    private static partial void LogMigrationCollided(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Information, "Closing database connection: {Dsn}")]
    public static partial void LogClosing(ILogger logger, string dsn);

    [LoggerMessage(LogLevel.Information, "Closed database connection: {Dsn}")]
    public static partial void LogClosed(ILogger logger, string dsn);
}

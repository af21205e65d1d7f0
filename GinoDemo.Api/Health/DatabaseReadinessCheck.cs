using System.Diagnostics;
using GinoDemo.Api.Standby;
using GinoDemo.Data;
using GinoDemo.Data.Configuration;
using GinoDemo.Data.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GinoDemo.Api.Health;

/// <summary>
/// Ready when the database answers and every migration this build knows is applied. One per API (a singleton):
/// it reuses its last result for a second, and has its own pool of one connection. Requests exhausting the request
/// pool make the instance busy, not broken: reporting it not ready would get every busy replica pulled from the load
/// balancer at once, while the requests themselves already shed load with 503. A database that is down still fails it.
/// </summary>
internal sealed partial class DatabaseReadinessCheck : IHealthCheck, IDisposable
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly DbContextOptions<UsersDbContext> _contextOptions;
    private readonly ILogger<DatabaseReadinessCheck> _logger;
    private readonly PreparedStatementAlarm _preparedStatements;
    private readonly StandbyRouting _standby;
    private readonly bool _readsFromStandby;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private HealthCheckResult? _last;
    private long _checkedAt;

    public DatabaseReadinessCheck(
        IOptions<DatabaseOptions> options,
        PreparedStatementAlarm preparedStatements,
        StandbyRouting standby,
        ILoggerFactory loggerFactory,
        ILogger<DatabaseReadinessCheck> logger)
    {
        _preparedStatements = preparedStatements;
        _standby = standby;
        _readsFromStandby = options.Value.ReadConnectionString is not null;
        var connection = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString) { MinPoolSize = 0, MaxPoolSize = 1 };
        connection.ApplicationName += " readiness";
        _dataSource = DataSourceFactory.Create(options.Value, loggerFactory, connection.ConnectionString);
        _contextOptions = new DbContextOptionsBuilder<UsersDbContext>()
            .UseUsersDatabase(_dataSource, options.Value)
            .UseLoggerFactory(loggerFactory)
            .Options;
        _logger = logger;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The probe is public and never rate limited: a flood of it must not become a flood of queries.
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && Stopwatch.GetElapsedTime(_checkedAt) < CacheLifetime)
            {
                return last;
            }

            _last = await CheckDatabaseAsync(cancellationToken);
            _checkedAt = Stopwatch.GetTimestamp();
            return _last.Value;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _dataSource.Dispose();
        _lock.Dispose();
    }

    private async Task<HealthCheckResult> CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        if (_preparedStatements.IsRaised)
        {
            return HealthCheckResult.Unhealthy(PreparedStatementAlarm.Advice);
        }

        try
        {
            int pending;
            // Disposed before the next check: with DB_USE_CONNECTION_FOR_REQUEST the context holds the pool's one connection.
            await using (var db = new UsersDbContext(_contextOptions))
            {
                pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            }

            if (pending > 0)
            {
                return HealthCheckResult.Unhealthy($"the schema is behind this build by {pending} migration(s); run the migrate step.");
            }

            return HealthCheckResult.Healthy(!_readsFromStandby ? "reachable; the schema is up to date."
                : _standby.ServesReads ? "reachable; the schema is up to date; reads go to the standby."
                : "reachable; the schema is up to date; reads go to the primary, the standby being unusable (the log says why).");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The reason (addresses, server messages) goes to the log, not to whoever asks.
            LogUnreachable(_logger, e.Message);
            _dataSource.Clear(); // the next check opens a fresh connection, not one the database dropped
            return HealthCheckResult.Unhealthy("the database is unreachable; the log has the reason.");
        }
    }

    [LoggerMessage(LogLevel.Warning, "Not ready: the database is unreachable ({Reason})")]
    private static partial void LogUnreachable(ILogger logger, string reason);
}

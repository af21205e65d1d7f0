using System.Diagnostics;
using GinoDemo.Data;
using GinoDemo.Data.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GinoDemo.Api.Hosting;

/// <summary>Ready when the database answers and every migration this build knows is applied.</summary>
internal sealed partial class DatabaseReadinessCheck(
    DatabaseReadinessCheck.Connection connection, DatabaseReadinessCheck.Cache cache, ILogger<DatabaseReadinessCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The probe is public and never rate limited: a flood of it must not become a flood of queries.
        await cache.Lock.WaitAsync(cancellationToken);
        try
        {
            if (cache.Last is { } last && Stopwatch.GetElapsedTime(cache.CheckedAt) < Cache.Lifetime)
            {
                return last;
            }

            cache.Last = await CheckDatabaseAsync(cancellationToken);
            cache.CheckedAt = Stopwatch.GetTimestamp();
            return cache.Last.Value;
        }
        finally
        {
            cache.Lock.Release();
        }
    }

    private async Task<HealthCheckResult> CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = new GinoDbContext(connection.ContextOptions);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            return pending > 0
                ? HealthCheckResult.Unhealthy($"the schema is behind this build by {pending} migration(s); run the migrate step.")
                : HealthCheckResult.Healthy("reachable; the schema is up to date.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The reason (addresses, server messages) goes to the log, not to whoever asks.
            LogUnreachable(logger, e.Message);
            connection.DataSource.Clear(); // the next check opens a fresh connection, not one the database dropped
            return HealthCheckResult.Unhealthy("the database is unreachable; the log has the reason.");
        }
    }

    [LoggerMessage(LogLevel.Warning, "Not ready: the database is unreachable ({Reason})")]
    private static partial void LogUnreachable(ILogger logger, string reason);

    /// <summary>
    /// The check's own pool of one connection. Requests exhausting the request pool make the instance busy, not
    /// broken: reporting it not ready would get every busy replica pulled from the load balancer at once, while the
    /// requests themselves already shed load with 503. A database that is down still fails the check.
    /// </summary>
    internal sealed class Connection : IDisposable
    {
        public Connection(IOptions<DatabaseOptions> options, ILoggerFactory loggerFactory)
        {
            var connection = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString) { MinPoolSize = 0, MaxPoolSize = 1 };
            connection.ApplicationName += " readiness";
            DataSource = new NpgsqlDataSourceBuilder(connection.ConnectionString).UseLoggerFactory(loggerFactory).Build();
            ContextOptions = new DbContextOptionsBuilder<GinoDbContext>()
                .UseGinoDatabase(DataSource, options.Value)
                .UseLoggerFactory(loggerFactory)
                .Options;
        }

        public NpgsqlDataSource DataSource { get; }

        public DbContextOptions<GinoDbContext> ContextOptions { get; }

        public void Dispose() => DataSource.Dispose();
    }

    /// <summary>The last result, reused for a second; one per API (a singleton).</summary>
    internal sealed class Cache : IDisposable
    {
        public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

        public SemaphoreSlim Lock { get; } = new(1, 1);

        public HealthCheckResult? Last { get; set; }

        public long CheckedAt { get; set; }

        public void Dispose() => Lock.Dispose();
    }
}

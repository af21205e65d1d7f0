using System.Diagnostics;
using GinoDemo.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GinoDemo.Api.Hosting;

/// <summary>Ready when the database answers and every migration this build knows is applied.</summary>
internal sealed partial class DatabaseReadinessCheck(GinoDbContext db, DatabaseReadinessCheck.Cache cache, ILogger<DatabaseReadinessCheck> logger) : IHealthCheck
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
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            return pending > 0
                ? HealthCheckResult.Unhealthy($"the schema is behind this build by {pending} migration(s); run the migrate step.")
                : HealthCheckResult.Healthy("reachable; the schema is up to date.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The reason (addresses, server messages) goes to the log, not to whoever asks.
            LogUnreachable(logger, e.Message);
            return HealthCheckResult.Unhealthy("the database is unreachable; the log has the reason.");
        }
    }

    [LoggerMessage(LogLevel.Warning, "Not ready: the database is unreachable ({Reason})")]
    private static partial void LogUnreachable(ILogger logger, string reason);

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

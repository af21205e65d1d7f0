using GinoDemo.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GinoDemo.Api.Hosting;

/// <summary>Ready when the database answers and every migration this build knows is applied.</summary>
internal sealed class DatabaseReadinessCheck(GinoDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                return HealthCheckResult.Unhealthy(
                    $"the schema is behind this build: {pending.Count} migration(s) pending ({string.Join(", ", pending)}); run the migrate step.");
            }

            var latest = db.Database.GetMigrations().LastOrDefault() ?? "none";
            return HealthCheckResult.Healthy($"reachable; schema at {latest}.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"the database is unreachable ({e.Message}).");
        }
    }
}

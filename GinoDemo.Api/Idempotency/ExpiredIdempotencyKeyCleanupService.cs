using GinoDemo.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Idempotency;

/// <summary>
/// Deletes idempotency keys past their lifetime every <see cref="IdempotencyOptions.CleanupInterval"/>, on every
/// replica (deleting twice is harmless). Only storage: an expired key is already ignored when it is used again.
/// </summary>
internal sealed partial class ExpiredIdempotencyKeyCleanupService(IServiceScopeFactory scopes, IOptions<IdempotencyOptions> options, ILogger<ExpiredIdempotencyKeyCleanupService> logger)
    : BackgroundService
{
    private static readonly TimeSpan CleanupGrace = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first run waits one interval: a starting replica has enough to do, and its pool may be of one.
        using var timer = new PeriodicTimer(options.Value.CleanupInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await DeleteExpiredKeysAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not a crash: left to the host, a cancelled ExecuteAsync is logged as a failed service with a
            // critical BackgroundServiceExceptionBehavior line when the host stops without having started (a taken port).
        }
    }

    private async Task DeleteExpiredKeysAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
            // The database's clock, as when a key is used again, plus an hour of grace: a request that started
            // just before its key expired has found the key's row (ON CONFLICT) and must still read it.
            var deleted = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM idempotency_keys WHERE created_at < now() - {options.Value.KeyLifetime + CleanupGrace}", stoppingToken);
            LogDeleted(logger, deleted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database that is down now is tried again at the next tick; the service itself goes on.
            LogFailed(logger, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Deleted {Count} expired idempotency key(s)")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Could not delete expired idempotency keys; trying again later: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GinoDemo.Data;

/// <summary>The API's <c>migrate</c> step and <c>DB_MIGRATE_ON_STARTUP</c>: EF Core's migrations, safe for replicas run at once.</summary>
public static partial class DatabaseMigrator
{
    /// <summary>"GinoMigr" in ASCII: the advisory lock that replicas migrating at once queue on.</summary>
    private const long MigrationLockKey = 0x47696E6F4D696772;

    /// <summary>
    /// Applies pending migrations. Safe when several replicas do it at once: each holds a session-level advisory
    /// lock for the whole run (EF Core's own lock ends with the first migration's transaction, which let two
    /// replicas apply the same later migration), so the others wait and then find nothing left to do. Two replicas
    /// creating a missing database at the same moment can collide; the loser finds it there.
    /// </summary>
    public static async Task MigrateAsync(UsersDbContext db, ILogger logger, CancellationToken cancellationToken)
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

    [LoggerMessage(LogLevel.Information, "Schema up to date; applied {Count} migration(s): {Migrations}")]
    private static partial void LogMigrated(ILogger logger, int count, string migrations);

    [LoggerMessage(LogLevel.Information, "Another replica created the database at the same moment ({Reason}); going on")]
    private static partial void LogMigrationCollided(ILogger logger, string reason);
}

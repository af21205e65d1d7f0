using System.Diagnostics;
using GinoDemo.Data.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GinoDemo.Api.Standby;

/// <summary>
/// Every second, decides whether reads go to the standby (<see cref="StandbyRouting"/>): the primary must wait for
/// the standby to apply each commit (<see cref="SynchronousStandbyCheck"/>), and the standby must answer, be in
/// recovery (a standby promoted by a failover is not one any more), and have replayed what the primary had written
/// <c>DB_READ_MAX_LAG</c> ago. The lag is measured by WAL position, not by <c>pg_last_xact_replay_timestamp()</c>,
/// which grows on an idle primary and stays small on a standby whose WAL receiver stopped: each tick records the
/// primary's <c>pg_current_wal_lsn()</c>, and the standby lags by the age of the oldest recorded position its
/// <c>pg_last_wal_replay_lsn()</c> has not reached (to within one tick). Two one-row queries a second, one on each
/// server, off the requests.
/// </summary>
internal sealed partial class StandbyProbe(
    StandbyContexts standby, NpgsqlDataSource primary, StandbyRouting routing, IOptions<DatabaseOptions> options, ILogger<StandbyProbe> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Queue<(long At, NpgsqlLogSequenceNumber Position)> _primaryPositions = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!standby.IsConfigured)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                var (servesReads, reason) = await ProbeAsync(stoppingToken);
                if (routing.Set(servesReads, reason))
                {
                    if (servesReads)
                    {
                        LogToStandby(logger, options.Value.ReadDisplayDsn!, reason);
                    }
                    else
                    {
                        LogToPrimary(logger, reason);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, not a failure (see ExpiredIdempotencyKeyCleanupService).
        }
    }

    private async Task<(bool ServesReads, string Reason)> ProbeAsync(CancellationToken cancellationToken)
    {
        // Checked on every tick, not only at start: after a failover the new primary has no synchronous standby until
        // one is attached, and an operator may switch remote_apply off while the API runs. Reads then go to the
        // primary; the API stays ready, since the primary alone serves every request correctly.
        string? mistake;
        try
        {
            await using var connection = await primary.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"SELECT pg_current_wal_lsn(), {SynchronousStandbyCheck.SettingsColumns}", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            _primaryPositions.Enqueue((Stopwatch.GetTimestamp(), reader.GetFieldValue<NpgsqlLogSequenceNumber>(0)));
            mistake = SynchronousStandbyCheck.Mistake(reader.GetString(1), reader.GetString(2));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // No primary to compare with (down, or in recovery itself during a failover): keep the last decision.
            return (routing.ServesReads, routing.Reason);
        }

        if (mistake is not null)
        {
            return (false, mistake);
        }

        // Positions older than the bound (and a margin of two ticks) cannot change the decision.
        while (_primaryPositions.Count > 1 && Stopwatch.GetElapsedTime(_primaryPositions.Peek().At) > options.Value.ReadMaxLag + (2 * Interval))
        {
            _primaryPositions.Dequeue();
        }

        bool inRecovery;
        NpgsqlLogSequenceNumber? replayed;
        try
        {
            await using var connection = await standby.DataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            inRecovery = reader.GetBoolean(0);
            replayed = reader.IsDBNull(1) ? null : reader.GetFieldValue<NpgsqlLogSequenceNumber>(1);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return (false, $"the standby is unreachable ({e.Message})");
        }

        if (!inRecovery || replayed is not { } position)
        {
            return (false, "the standby is not in recovery: it was promoted, or DB_READ_DSN names a primary");
        }

        var behind = _primaryPositions.FirstOrDefault(recorded => recorded.Position > position);
        var lag = behind.At == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(behind.At);
        var seconds = lag.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        return lag > options.Value.ReadMaxLag
            ? (false, $"the standby lags {seconds} s behind the primary (DB_READ_MAX_LAG is {options.Value.ReadMaxLag.TotalSeconds} s)")
            : (true, $"in recovery, {seconds} s behind the primary");
    }

    [LoggerMessage(LogLevel.Information, "Reads go to the standby {Dsn}: {Reason}")]
    private static partial void LogToStandby(ILogger logger, string dsn, string reason);

    [LoggerMessage(LogLevel.Warning, "Reads go to the primary: {Reason}")]
    private static partial void LogToPrimary(ILogger logger, string reason);
}

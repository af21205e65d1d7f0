using System.Runtime.InteropServices;
using GinoDemo.Api.Edge;
using GinoDemo.Data;
using GinoDemo.Data.Configuration;
using GinoDemo.Data.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GinoDemo.Api.Startup;

/// <summary>The steps <see cref="ServeCommand"/> and <see cref="MigrateCommand"/> share: check the settings, wait for the database, migrate.</summary>
internal static partial class StartupSteps
{
    public static ILogger CreateLogger(WebApplication app) =>
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(DatabaseStartupWait.LoggerCategory);

    /// <summary>
    /// Runs the framework's start-up validation of every options class registered with <c>ValidateOnStart</c>, before
    /// anything starts, so that one run reports every bad setting, plus what the <c>Kestrel</c> section could not bind
    /// and the addresses to listen on that Kestrel would misread.
    /// </summary>
    /// <returns>The database options, or null when a setting is invalid (logged).</returns>
    private static DatabaseOptions? CheckSettings(WebApplication app, ILogger logger)
    {
        List<string> failures = [];
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException e)
        {
            failures.AddRange(e.Failures);
        }
        catch (AggregateException e)
        {
            failures.AddRange(e.InnerExceptions.OfType<OptionsValidationException>().SelectMany(invalid => invalid.Failures));
        }

        // Read here, so that the Kestrel section is bound (and its failures known) whether or not a server was built.
        _ = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        failures.AddRange(app.Services.GetRequiredService<KestrelBindingFailures>());
        failures.AddRange(DefaultAddressExtensions.AddressFailures(app.Configuration));
        if (failures.Count == 0)
        {
            return app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        }

        LogInvalidSettings(logger, string.Join(Environment.NewLine, failures));
        return null;
    }

    /// <summary>
    /// What both commands do first: check every setting (<see cref="ExitCodes.InvalidSettings"/>), then wait for the
    /// database (<see cref="ExitCodes.DatabaseFailure"/> when it never answers, <see cref="ExitCodes.Success"/> when a
    /// stop signal ends the wait). When migrations will run (<paramref name="migrating"/>, or
    /// <c>DB_MIGRATE_ON_STARTUP</c>) a server without the database counts as up: migrating creates it.
    /// </summary>
    /// <returns>The database options and no exit code when the database answered; otherwise no options and the exit code.</returns>
    public static async Task<(DatabaseOptions? Options, int ExitCode)> CheckSettingsAndWaitForDatabaseAsync(
        WebApplication app, ILogger logger, bool migrating)
    {
        if (CheckSettings(app, logger) is not { } options)
        {
            return (null, ExitCodes.InvalidSettings);
        }

        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        if (await WaitForDatabaseAsync(dataSource, options, logger, acceptMissingDatabase: migrating || options.MigrateOnStartup) is { } exitCode)
        {
            return (null, exitCode);
        }

        try
        {
            if (await DatabaseTopologyCheck.FindMistakeAsync(options, dataSource, migrating || options.MigrateOnStartup, logger, app.Lifetime.ApplicationStopping) is { } mistake)
            {
                LogSettingsDoNotFit(logger, mistake);
                return (null, ExitCodes.InvalidSettings);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // No database yet (migrate creates it): nothing to probe in; the pooler, if any, is met by the migration itself.
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogGoneAgain(logger, e.Message);
            return (null, ExitCodes.DatabaseFailure);
        }

        return (options, ExitCodes.Success);
    }

    /// <summary>
    /// The startup wait, which a stop signal ends at once: the host handles SIGTERM and Ctrl+C only once started.
    /// </summary>
    /// <returns>Null when the database answered; otherwise the exit code.</returns>
    private static async Task<int?> WaitForDatabaseAsync(NpgsqlDataSource dataSource, DatabaseOptions options, ILogger logger, bool acceptMissingDatabase)
    {
        using var stopRequested = new CancellationTokenSource();
        void StopWaiting(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stopRequested.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopWaiting);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopWaiting);
        var reachable = await DatabaseStartupWait.WaitAsync(dataSource, options, logger, stopRequested.Token, acceptMissingDatabase);
        if (stopRequested.IsCancellationRequested)
        {
            LogStoppedWhileWaiting(logger);
            return ExitCodes.Success;
        }

        return reachable ? null : ExitCodes.DatabaseFailure;
    }

    /// <returns>Whether every pending migration was applied (a failure is logged).</returns>
    public static async Task<bool> MigrateAsync(WebApplication app, ILogger logger)
    {
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<UsersDbContext>(), logger, app.Lifetime.ApplicationStopping);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            LogMigrationFailed(logger, e.Message);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Critical, "Invalid settings; not starting:\n{Failures}")]
    private static partial void LogInvalidSettings(ILogger logger, string failures);

    [LoggerMessage(LogLevel.Critical, "The settings do not fit the database; not starting: {Mistake}")]
    private static partial void LogSettingsDoNotFit(ILogger logger, string mistake);

    [LoggerMessage(LogLevel.Error, "The database stopped answering right after it answered; not starting: {Reason}")]
    private static partial void LogGoneAgain(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Information, "Stopped while waiting for the database.")]
    private static partial void LogStoppedWhileWaiting(ILogger logger);

    [LoggerMessage(LogLevel.Critical, "Migrations failed; nothing after the failing one was applied: {Reason}")]
    private static partial void LogMigrationFailed(ILogger logger, string reason);
}

using System.Runtime.InteropServices;
using GinoDemo.Api.Edge;
using GinoDemo.Data;
using GinoDemo.Data.Configuration;
using GinoDemo.Data.Connections;
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
    /// anything starts, so that one run reports every bad setting (exit 2), plus what the <c>Kestrel</c> section could not bind.
    /// </summary>
    /// <returns>The database options, or null when a setting is invalid (logged).</returns>
    public static DatabaseOptions? CheckSettings(WebApplication app, ILogger logger)
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

        failures.AddRange(app.Services.GetRequiredService<KestrelBindingFailures>());
        if (failures.Count == 0)
        {
            return app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        }

        LogInvalidSettings(logger, string.Join(Environment.NewLine, failures));
        return null;
    }

    /// <summary>
    /// The startup wait, which a stop signal ends at once: the host handles SIGTERM and Ctrl+C only once started.
    /// </summary>
    /// <returns>Null when the database answered; otherwise the exit code.</returns>
    public static async Task<int?> WaitForDatabaseAsync(NpgsqlDataSource dataSource, DatabaseOptions options, ILogger logger, bool serverIsEnough)
    {
        using var stopRequested = new CancellationTokenSource();
        void StopWaiting(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stopRequested.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopWaiting);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopWaiting);
        var reachable = await DatabaseStartupWait.WaitAsync(dataSource, options, logger, stopRequested.Token, serverIsEnough);
        if (stopRequested.IsCancellationRequested)
        {
            LogStoppedWhileWaiting(logger);
            return 0;
        }

        return reachable ? null : 1;
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

    [LoggerMessage(LogLevel.Information, "Stopped while waiting for the database.")]
    private static partial void LogStoppedWhileWaiting(ILogger logger);

    [LoggerMessage(LogLevel.Critical, "Migrations failed; nothing after the failing one was applied: {Reason}")]
    private static partial void LogMigrationFailed(ILogger logger, string reason);
}

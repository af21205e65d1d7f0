using GinoDemo.Api.Health;
using Npgsql;

namespace GinoDemo.Api.Startup;

/// <summary>
/// <c>GinoDemo.Api</c> with no command: gino-starlette's lifecycle around the server. Refuse to start on bad settings,
/// an unreachable database or an address it cannot listen on (<see cref="ExitCodes"/>); serve; on shutdown let
/// requests in flight finish (up to <c>Server:ShutdownTimeout</c>), then close the pool.
/// </summary>
public static partial class ServeCommand
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Disposing flushes the console logger, whose last lines would otherwise be lost on an early exit.
        await using (app)
        {
            var logger = StartupSteps.CreateLogger(app);
            var (options, exitCode) = await StartupSteps.CheckSettingsAndWaitForDatabaseAsync(app, logger, migrating: false);
            if (options is null)
            {
                return exitCode;
            }

            if (options.MigrateOnStartup && !await StartupSteps.MigrateAsync(app, logger))
            {
                return ExitCodes.DatabaseFailure;
            }

            var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
            var readiness = app.Services.GetRequiredService<DatabaseReadinessCheck>();
            app.Lifetime.ApplicationStopped.Register(() =>
            {
                LogClosing(logger, options.DisplayDsn);
                dataSource.Dispose();
                readiness.Dispose();
                LogClosed(logger, options.DisplayDsn);
            });
            try
            {
                await app.StartAsync();
            }
            catch (IOException e)
            {
                // Kestrel could not bind: the port is taken or not ours. Say so without a crash dump.
                LogCannotListen(logger, e.Message);
                return ExitCodes.CannotListen;
            }

            await app.WaitForShutdownAsync();
            return ExitCodes.Success;
        }
    }

    [LoggerMessage(LogLevel.Critical, "Cannot listen: {Reason}")]
    private static partial void LogCannotListen(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Information, "Closing database connection: {Dsn}")]
    private static partial void LogClosing(ILogger logger, string dsn);

    [LoggerMessage(LogLevel.Information, "Closed database connection: {Dsn}")]
    private static partial void LogClosed(ILogger logger, string dsn);
}

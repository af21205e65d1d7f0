using System.Runtime.InteropServices;
using GinoDemo.Data;
using GinoDemo.Data.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GinoDemo.Api.Hosting;

public static partial class DatabaseExtensions
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        // Bind throws OptionsValidationException naming every bad key; RunWithDatabaseAsync reports it.
        builder.Services.AddOptions<DatabaseOptions>()
            .Configure<IConfiguration>((options, configuration) => DatabaseOptions.Bind(configuration, options));
        builder.Services.AddSingleton(services => GinoDatabase.CreateDataSource(
            services.GetRequiredService<IOptions<DatabaseOptions>>().Value, services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddDbContextPool<GinoDbContext>((services, context) => context.UseGinoDatabase(
            services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        return builder;
    }

    /// <summary>
    /// gino-starlette's lifecycle around the server: refuse to start on bad settings (exit 2), an unreachable
    /// database (exit 1) or an address it cannot listen on (exit 3); serve; on shutdown close the pool (exit 0).
    /// </summary>
    public static async Task<int> RunWithDatabaseAsync(this WebApplication app)
    {
        // Disposing flushes the console logger, whose last lines would otherwise be lost on an early exit.
        await using (app)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(GinoDatabase.LoggerCategory);
            DatabaseOptions options;
            try
            {
                options = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            }
            catch (OptionsValidationException e)
            {
                LogInvalidSettings(logger, string.Join(Environment.NewLine, e.Failures));
                return 2;
            }

            var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
            if (await WaitForDatabaseAsync(dataSource, options, logger) is { } exitCode)
            {
                return exitCode;
            }

            app.Lifetime.ApplicationStopped.Register(() =>
            {
                GinoDatabase.LogClosing(logger, options.DisplayDsn);
                dataSource.Dispose();
                GinoDatabase.LogClosed(logger, options.DisplayDsn);
            });
            try
            {
                await app.StartAsync();
            }
            catch (IOException e)
            {
                // Kestrel could not bind: the port is taken or not ours. Say so without a crash dump.
                LogCannotListen(logger, e.Message);
                return 3;
            }

            await app.WaitForShutdownAsync();
            return 0;
        }
    }

    /// <summary>
    /// The startup wait, which a stop signal ends at once: the host handles SIGTERM and Ctrl+C only once started.
    /// </summary>
    /// <returns>Null when the database answered; otherwise the exit code.</returns>
    private static async Task<int?> WaitForDatabaseAsync(NpgsqlDataSource dataSource, DatabaseOptions options, ILogger logger)
    {
        using var stopRequested = new CancellationTokenSource();
        void StopWaiting(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stopRequested.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopWaiting);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopWaiting);
        var reachable = await GinoDatabase.WaitForDatabaseAsync(dataSource, options, logger, stopRequested.Token);
        if (stopRequested.IsCancellationRequested)
        {
            LogStoppedWhileWaiting(logger);
            return 0;
        }

        return reachable ? null : 1;
    }

    [LoggerMessage(LogLevel.Critical, "Invalid settings; not starting:\n{Failures}")]
    private static partial void LogInvalidSettings(ILogger logger, string failures);

    [LoggerMessage(LogLevel.Information, "Stopped while waiting for the database.")]
    private static partial void LogStoppedWhileWaiting(ILogger logger);

    [LoggerMessage(LogLevel.Critical, "Cannot listen: {Reason}")]
    private static partial void LogCannotListen(ILogger logger, string reason);
}

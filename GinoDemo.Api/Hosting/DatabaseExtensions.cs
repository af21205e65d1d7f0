using System.Runtime.InteropServices;
using GinoDemo.Api.Users;
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
    /// database (exit 1) or an address it cannot listen on (exit 3); serve; on shutdown let requests in flight
    /// finish (up to <c>Server:ShutdownTimeout</c>), then close the pool (exit 0).
    /// </summary>
    public static async Task<int> RunWithDatabaseAsync(this WebApplication app)
    {
        // Disposing flushes the console logger, whose last lines would otherwise be lost on an early exit.
        await using (app)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(GinoDatabase.LoggerCategory);
            if (CheckSettings(app, logger) is not { } options)
            {
                return 2;
            }

            var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
            // Migrating on startup creates a missing database, so then a server that answers is enough.
            if (await WaitForDatabaseAsync(dataSource, options, logger, serverIsEnough: options.MigrateOnStartup) is { } exitCode)
            {
                return exitCode;
            }

            if (options.MigrateOnStartup && !await MigrateAsync(app, logger))
            {
                return 1;
            }

            var readiness = app.Services.GetRequiredService<DatabaseReadinessCheck>();
            app.Lifetime.ApplicationStopped.Register(() =>
            {
                GinoDatabase.LogClosing(logger, options.DisplayDsn);
                dataSource.Dispose();
                readiness.Dispose();
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
    /// The deployment's migrate step (<c>GinoDemo.Api migrate</c>): the same settings and startup retry as the
    /// API, then every pending migration; several replicas may run it at once. Exit codes as the API's.
    /// </summary>
    public static async Task<int> MigrateDatabaseAsync(this WebApplication app)
    {
        await using (app)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(GinoDatabase.LoggerCategory);
            if (CheckSettings(app, logger) is not { } options)
            {
                return 2;
            }

            var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
            if (await WaitForDatabaseAsync(dataSource, options, logger, serverIsEnough: true) is { } exitCode)
            {
                return exitCode;
            }

            return await MigrateAsync(app, logger) ? 0 : 1;
        }
    }

    private static async Task<bool> MigrateAsync(WebApplication app, ILogger logger)
    {
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            await GinoDatabase.MigrateAsync(scope.ServiceProvider.GetRequiredService<GinoDbContext>(), logger, app.Lifetime.ApplicationStopping);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            LogMigrationFailed(logger, e.Message);
            return false;
        }
    }

    /// <summary>Reads every section once, before anything starts, so one run reports every bad setting.</summary>
    private static DatabaseOptions? CheckSettings(WebApplication app, ILogger logger)
    {
        List<string> failures = [];
        T? Read<T>()
            where T : class
        {
            try
            {
                return app.Services.GetRequiredService<IOptions<T>>().Value;
            }
            catch (OptionsValidationException e)
            {
                failures.AddRange(e.Failures);
            }
            catch (InvalidOperationException e)
            {
                // The binder's own failure: a value of the wrong type ("Server:RequestTimeout" = "soon").
                failures.Add(e.Message);
            }

            return null;
        }

        var database = Read<DatabaseOptions>();
        Read<ServerOptions>();
        Read<RateLimitingOptions>();
        Read<ForwardedHeadersSettings>();
        Read<CorsSettings>();
        Read<OpenApiSettings>();
        Read<IdempotencyOptions>();
        Read<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>();
        failures.AddRange(app.Services.GetRequiredService<KestrelSettingFailures>());
        if (failures.Count == 0)
        {
            return database;
        }

        LogInvalidSettings(logger, string.Join(Environment.NewLine, failures));
        return null;
    }

    /// <summary>
    /// The startup wait, which a stop signal ends at once: the host handles SIGTERM and Ctrl+C only once started.
    /// </summary>
    /// <returns>Null when the database answered; otherwise the exit code.</returns>
    private static async Task<int?> WaitForDatabaseAsync(NpgsqlDataSource dataSource, DatabaseOptions options, ILogger logger, bool serverIsEnough = false)
    {
        using var stopRequested = new CancellationTokenSource();
        void StopWaiting(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stopRequested.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopWaiting);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopWaiting);
        var reachable = await GinoDatabase.WaitForDatabaseAsync(dataSource, options, logger, stopRequested.Token, serverIsEnough);
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

    [LoggerMessage(LogLevel.Critical, "Migrations failed; nothing after the failing one was applied: {Reason}")]
    private static partial void LogMigrationFailed(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Critical, "Cannot listen: {Reason}")]
    private static partial void LogCannotListen(ILogger logger, string reason);
}

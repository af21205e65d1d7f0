using System.Net.Sockets;
using GinoDemo.Api.Health;
using Microsoft.AspNetCore.Connections;
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
            catch (Exception e) when (CannotListenAdvice(e, Addresses(app.Configuration)) is { } advice)
            {
                // Kestrel could not bind: a person's mistake, said in one line without a crash dump.
                LogCannotListen(logger, e is IOException ? OneLine(e.Message) : $"{Addresses(app.Configuration)}: {OneLine(e.Message)}", advice);
                return ExitCodes.CannotListen;
            }

            await app.WaitForShutdownAsync();
            return ExitCodes.Success;
        }
    }

    /// <summary>
    /// What to do when Kestrel cannot listen on <paramref name="addresses"/>, or null when <paramref name="failure"/> is not
    /// such a failure (a bug, left to crash with its stack trace). Kestrel reports a taken port (EADDRINUSE, also when
    /// only the IPv4 or the IPv6 half of <c>localhost</c> or of a wildcard is taken) as an <see cref="IOException"/>,
    /// other socket errors of bind(2) (EACCES, EADDRNOTAVAIL) as they are, and an <c>https://</c> address without a
    /// certificate as its own <see cref="InvalidOperationException"/>.
    /// </summary>
    private static string? CannotListenAdvice(Exception failure, string addresses)
    {
        const string Choose = "choose another address with --urls or ASPNETCORE_URLS";
        return failure switch
        {
            IOException { InnerException: AddressInUseException } or IOException { InnerException.InnerException: AddressInUseException } =>
                $"Another program listens there (ss -ltnp names it): stop it, or {Choose}.",
            IOException => $"Check {addresses}, or {Choose}.",
            SocketException { SocketErrorCode: SocketError.AccessDenied } =>
                $"Ports below 1024 need root or CAP_NET_BIND_SERVICE: {Choose}, with a port from 1024 up.",
            SocketException { SocketErrorCode: SocketError.AddressNotAvailable } =>
                $"{addresses} is not an address of this machine: listen on 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).",
            SocketException => $"Check {addresses}, or {Choose}.",
            InvalidOperationException { Source: "Microsoft.AspNetCore.Server.Kestrel.Core" } =>
                $"Serve plain http:// here (TLS belongs to the proxy in front), or configure a certificate for {addresses}.",
            _ => null,
        };
    }

    /// <summary>The addresses Kestrel was asked for, as the person set them (the server forgets them when binding fails).</summary>
    private static string Addresses(IConfiguration configuration) =>
        configuration["urls"] is { Length: > 0 } urls ? urls : "the addresses of HTTP_PORTS or Kestrel:Endpoints";

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [LoggerMessage(LogLevel.Critical, "Cannot listen: {Reason} {Advice}")]
    private static partial void LogCannotListen(ILogger logger, string reason, string advice);

    [LoggerMessage(LogLevel.Information, "Closing database connection: {Dsn}")]
    private static partial void LogClosing(ILogger logger, string dsn);

    [LoggerMessage(LogLevel.Information, "Closed database connection: {Dsn}")]
    private static partial void LogClosed(ILogger logger, string dsn);
}

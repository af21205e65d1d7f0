using System.Data.Common;
using GinoDemo.Data.Configuration;
using GinoDemo.Data.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GinoDemo.Data;

/// <summary>
/// What <c>dotnet ef</c> uses: the same <c>DB_*</c> configuration as the API, read from the working directory.
/// The first connection waits for the server like the API's startup; <c>migrations add</c> never connects.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<UsersDbContext>
{
    public UsersDbContext CreateDbContext(string[] args)
    {
        var configuration = ConfigurationSources.Build(InvocationDirectory());
        var options = DatabaseOptions.Load(configuration);
        var loggerFactory = LoggerFactory.Create(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddDbEchoFilter(() => options.Echo)
            .AddSimpleConsole(console => console.SingleLine = true));
        // The console logger writes from a queue: flush it before `dotnet ef` exits.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => loggerFactory.Dispose();
        var dataSource = DataSourceFactory.Create(options, loggerFactory);
        var builder = new DbContextOptionsBuilder<UsersDbContext>()
            .UseUsersDatabase(dataSource, options)
            .AddInterceptors(new WaitForDatabaseInterceptor(dataSource, options, loggerFactory.CreateLogger(DatabaseStartupWait.LoggerCategory)));
        return new UsersDbContext(builder.Options);
    }

    /// <summary>
    /// Where the developer ran <c>dotnet ef</c>: the tools switch the current directory to the startup project
    /// but pass the original one as <c>--working-dir</c>, and .env belongs to the original one.
    /// </summary>
    private static string InvocationDirectory()
    {
        var args = Environment.GetCommandLineArgs();
        var flag = Array.IndexOf(args, "--working-dir");
        return flag >= 0 && flag + 1 < args.Length ? args[flag + 1] : Directory.GetCurrentDirectory();
    }

    private sealed class WaitForDatabaseInterceptor(NpgsqlDataSource dataSource, DatabaseOptions options, ILogger logger) : DbConnectionInterceptor
    {
        private bool _ready;

        public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
        {
            WaitOnce(CancellationToken.None).GetAwaiter().GetResult();
            return result;
        }

        public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(
            DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            await WaitOnce(cancellationToken);
            return result;
        }

        private async Task WaitOnce(CancellationToken cancellationToken)
        {
            if (_ready)
            {
                return;
            }

            _ready = await DatabaseStartupWait.WaitAsync(dataSource, options, logger, cancellationToken, acceptMissingDatabase: true)
                ? true
                : throw new InvalidOperationException("Cannot connect to the database; max retries reached.");
        }
    }
}

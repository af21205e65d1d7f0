using GinoDemo.Data.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GinoDemo.Data.Connections;

public static class UsersDbContextOptionsBuilderExtensions
{
    /// <summary>
    /// The one way a <see cref="UsersDbContext"/> is configured (API, <c>dotnet ef</c>, tests): Npgsql over
    /// <paramref name="dataSource"/>, retries of what provably did not run only (<see cref="RetryWhatDidNotRunExecutionStrategy"/>),
    /// <c>DB_ECHO</c>, and <c>DB_USE_CONNECTION_FOR_REQUEST</c> (<see cref="KeepConnectionOpenInterceptor"/>).
    /// </summary>
    public static TBuilder UseUsersDatabase<TBuilder>(this TBuilder builder, NpgsqlDataSource dataSource, DatabaseOptions options)
        where TBuilder : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.UseNpgsql(dataSource, npgsql => npgsql
                .MigrationsAssembly(typeof(UsersDbContext).Assembly.GetName().Name)
                .ExecutionStrategy(dependencies => new RetryWhatDidNotRunExecutionStrategy(dependencies, dataSource)))
            // Every statement at Information; DB_ECHO decides whether its category is shown (AddDbEchoFilter). The
            // same EF options whatever the settings: other options would build a second EF service provider and model,
            // on which the compiled queries refuse to run.
            .ConfigureWarnings(warnings => warnings.Log(
                (RelationalEventId.CommandExecuted, LogLevel.Information),
                // Expected while waiting for a database that starts late or does not exist yet; a request that
                // fails on it is logged with its context by the API.
                (RelationalEventId.ConnectionError, LogLevel.Debug)));
        if (options.UseConnectionForRequest)
        {
            builder.AddInterceptors(KeepConnectionOpenInterceptor.Instance);
        }

        return builder;
    }
}

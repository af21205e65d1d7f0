using GinoDemo.Data.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GinoDemo.Data.Connections;

/// <summary>How every entry point (API, <c>dotnet ef</c>, tests) turns <see cref="DatabaseOptions"/> into an Npgsql pool.</summary>
public static class DataSourceFactory
{
    /// <summary>The pool for <paramref name="options"/>, or for <paramref name="connectionString"/> (a smaller pool, say) when given.</summary>
    public static NpgsqlDataSource Create(DatabaseOptions options, ILoggerFactory loggerFactory, string? connectionString = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new NpgsqlDataSourceBuilder(connectionString ?? options.ConnectionString).UseLoggerFactory(loggerFactory).Build();
    }
}

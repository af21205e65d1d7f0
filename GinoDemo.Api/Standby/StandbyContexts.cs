using GinoDemo.Data;
using GinoDemo.Data.Configuration;
using GinoDemo.Data.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GinoDemo.Api.Standby;

/// <summary>
/// The standby's pool (<c>DB_READ_DSN</c>) and pooled <see cref="UsersDbContext"/>s on it. The same context type as
/// the primary's, from a factory of its own rather than a second registration, so that <c>dotnet ef</c> still finds
/// one context. Its contexts have their own EF model (another data source is another EF service provider), so
/// compiled queries are compiled once more for them (<see cref="Users.UserQueries"/>).
/// </summary>
public sealed class StandbyContexts : IDisposable
{
    private readonly NpgsqlDataSource? _dataSource;
    private readonly PooledDbContextFactory<UsersDbContext>? _factory;

    public StandbyContexts(IOptions<DatabaseOptions> options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Value.ReadConnectionString is not { } readConnectionString)
        {
            return;
        }

        _dataSource = DataSourceFactory.Create(options.Value, loggerFactory, readConnectionString);
        _factory = new PooledDbContextFactory<UsersDbContext>(new DbContextOptionsBuilder<UsersDbContext>()
            .UseUsersDatabase(_dataSource, options.Value)
            .UseLoggerFactory(loggerFactory)
            .Options);
    }

    /// <summary>Whether <c>DB_READ_DSN</c> is set.</summary>
    public bool IsConfigured => _dataSource is not null;

    /// <summary>The standby's pool. Only when <see cref="IsConfigured"/>.</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("DB_READ_DSN is not set.");

    /// <summary>A context on the standby, to dispose after the read (it returns to the pool). Only when <see cref="IsConfigured"/>.</summary>
    public UsersDbContext CreateContext() => (_factory ?? throw new InvalidOperationException("DB_READ_DSN is not set.")).CreateDbContext();

    public void Dispose() => _dataSource?.Dispose();
}

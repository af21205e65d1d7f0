using GinoDemo.Data;
using GinoDemo.Data.Configuration;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>
/// A database of one test's own on the test server, dropped afterwards: for what must start from nothing
/// (migrations, a schema that is behind) without touching the shared test database.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _connection;

    public ScratchDatabase()
    {
        _connection = new NpgsqlConnectionStringBuilder(TestDatabase.Options.ConnectionString)
        {
            Database = $"gino_scratch_{Guid.NewGuid():N}"[..24] + DatabaseOptions.TestDatabaseSuffix,
            Pooling = false,
        };
        DataSource = NpgsqlDataSource.Create(_connection);
    }

    public string Name => _connection.Database!;

    public NpgsqlDataSource DataSource { get; }

    /// <summary>How the API is pointed at it (the password travels URL-escaped).</summary>
    public string Dsn =>
        $"postgresql://{Uri.EscapeDataString(_connection.Username!)}:{Uri.EscapeDataString(_connection.Password ?? "")}@{_connection.Host}:{_connection.Port}/{Name}";

    public IReadOnlyDictionary<string, string> ApiEnvironment => new Dictionary<string, string> { ["DB_DSN"] = Dsn };

    public Task CreateAsync() => TestDatabase.ExecuteAsync($"CREATE DATABASE {Name}");

    public UsersDbContext CreateDbContext() =>
        new(new DbContextOptionsBuilder<UsersDbContext>().UseNpgsql(DataSource).Options);

    public Task<long> CountAsync(string sql) => TestDatabase.CountAsync(sql, DataSource);

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await TestDatabase.ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}

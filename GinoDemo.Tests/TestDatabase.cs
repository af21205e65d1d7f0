using GinoDemo.Data;
using GinoDemo.Data.Configuration;
using GinoDemo.Data.Connections;
using GinoDemo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Respawn;
using Respawn.Graph;

namespace GinoDemo.Tests;

/// <summary>
/// The tutorial's conftest.py: with TESTING on, migrate the test database up once, share one API, reset the data
/// before every test, and at the end migrate down to 0 and check that the schema is gone.
/// </summary>
[SetUpFixture]
public sealed class TestDatabase
{
    private static NpgsqlDataSource? _dataSource;
    private static Respawner? _respawner;
    private static ApiFactory? _api;

    public static DatabaseOptions Options { get; private set; } = null!;

    public static NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The test database is not set up.");

    /// <summary>Points an <see cref="ApiProcess"/> at the test database.</summary>
    public static IReadOnlyDictionary<string, string> ApiEnvironment => new Dictionary<string, string> { ["DB_DSN"] = Options.ConnectionString };

    public static ApiFactory Api => _api ?? throw new InvalidOperationException("The test database is not set up.");

    /// <summary>The repository root: where <c>scripts/</c> run and where a developer's <c>.env</c> lives.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    [OneTimeSetUp]
    public async Task MigrateUp()
    {
        // As the tutorial's conftest: every part of the process, the API included, sees TESTING.
        Environment.SetEnvironmentVariable("TESTING", "true");
        Directory.SetCurrentDirectory(RepositoryRoot);
        Options = DatabaseOptions.Load(ConfigurationSources.Build(RepositoryRoot));
        // The tests' own statements are never server-prepared: a test that changes the schema under the API
        // (SchemaChangeWhileServingTests) must not make the harness's reads stale.
        _dataSource = DataSourceFactory.Create(Options, NullLoggerFactory.Instance,
            new NpgsqlConnectionStringBuilder(Options.ConnectionString) { MaxAutoPrepare = 0 }.ConnectionString);

        await using (var db = CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        await using var connection = await DataSource.OpenConnectionAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = [new Table("public", "__EFMigrationsHistory")],
            WithReseed = true,
        });
        _api = new ApiFactory();
    }

    [OneTimeTearDown]
    public async Task MigrateDownToZero()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        await using (var db = CreateDbContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(Migration.InitialDatabase);
        }

        var leftTables = await CountUserTablesAsync();
        await _dataSource!.DisposeAsync();
        leftTables.Should().Be(0, "migrating down to 0 removes every table but the migrations history");
    }

    public static async Task ResetAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await _respawner!.ResetAsync(connection);
    }

    public static UsersDbContext CreateDbContext(DatabaseOptions? options = null) =>
        new(new DbContextOptionsBuilder<UsersDbContext>().UseUsersDatabase(DataSource, options ?? Options).Options);

    /// <summary>Runs SQL beside the API, as an operator or a second client would: on the test database, or on <paramref name="database"/>.</summary>
    public static async Task ExecuteAsync(string sql, NpgsqlDataSource? database = null)
    {
        await using var command = (database ?? DataSource).CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A <c>count(*)</c> on the test database, or on <paramref name="database"/>.</summary>
    public static async Task<long> CountAsync(string sql, NpgsqlDataSource? database = null)
    {
        await using var command = (database ?? DataSource).CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync() is T value ? value : default;
    }

    private static Task<long> CountUserTablesAsync() => CountAsync(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'");

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GinoDemo.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("GinoDemo.sln not found above " + AppContext.BaseDirectory);
    }
}

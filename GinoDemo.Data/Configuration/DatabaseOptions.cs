using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GinoDemo.Data.Configuration;

/// <summary>The tutorial's <c>DB_*</c> settings, parsed and checked once, plus the connection they describe.</summary>
public sealed class DatabaseOptions
{
    public const string TestDatabaseSuffix = "_test";
    public const string DefaultTestDatabase = "gino_demo" + TestDatabaseSuffix;
    public const string ApplicationName = "gino-demo";

    // No defaults here: appsettings.json is the one place that has them, and Bind requires every key.
    public string Driver { get; set; } = "";
    public int PoolMinSize { get; set; }
    public int PoolMaxSize { get; set; }
    public int ConnectTimeoutSeconds { get; set; }
    public bool Echo { get; set; }
    public bool UseConnectionForRequest { get; set; }
    public int RetryLimit { get; set; }
    public TimeSpan RetryInterval { get; set; }
    public bool MigrateOnStartup { get; set; }
    public bool Testing { get; set; }

    /// <summary>The Npgsql connection string, pool sizes included. It holds the password: never log it.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The connection as a URL with the password masked: what the logs show.</summary>
    public string DisplayDsn { get; set; } = "";

    /// <summary>Reads the keys from <paramref name="configuration"/>; every malformed one is reported by name.</summary>
    public static DatabaseOptions Load(IConfiguration configuration)
    {
        var options = new DatabaseOptions();
        Bind(configuration, options);
        return options;
    }

    /// <summary>
    /// Hand-written rather than <c>BindConfiguration</c>: the keys are flat <c>DB_*</c> names, booleans accept 1/0
    /// like Starlette's, and <c>DB_DSN</c> outranks the individual parts wherever it is set.
    /// </summary>
    /// <exception cref="OptionsValidationException">One failure per malformed key, all at once.</exception>
    public static void Bind(IConfiguration configuration, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var reader = new SettingReader(configuration);
        if (reader.Optional(DotEnvConfigurationProvider.MalformedLinesKey) is { } lines)
        {
            reader.Fail(ConfigurationSources.DotEnvFileName, $"not KEY=value at line {lines}.");
        }

        options.Driver = reader.Required("DB_DRIVER");
        if (options.Driver is not ("postgresql" or "postgres" or ""))
        {
            reader.Fail("DB_DRIVER", $"'{options.Driver}' is not supported; use 'postgresql'.");
        }

        options.PoolMinSize = reader.Int("DB_POOL_MIN_SIZE", min: 0, max: 1000);
        options.PoolMaxSize = reader.Int("DB_POOL_MAX_SIZE", min: 1, max: 1000);
        if (options.PoolMinSize > options.PoolMaxSize)
        {
            reader.Fail("DB_POOL_MIN_SIZE", $"{options.PoolMinSize} is larger than DB_POOL_MAX_SIZE ({options.PoolMaxSize}).");
        }

        options.ConnectTimeoutSeconds = reader.Int("DB_CONNECT_TIMEOUT", min: 1, max: 600);
        options.Echo = reader.Bool("DB_ECHO");
        options.UseConnectionForRequest = reader.Bool("DB_USE_CONNECTION_FOR_REQUEST");
        options.RetryLimit = reader.Int("DB_RETRY_LIMIT", min: 1, max: 10_000);
        options.RetryInterval = TimeSpan.FromSeconds(reader.Int("DB_RETRY_INTERVAL", min: 0, max: 3600));
        options.MigrateOnStartup = reader.Bool("DB_MIGRATE_ON_STARTUP");
        options.Testing = reader.Bool("TESTING");

        var connection = reader.Optional("DB_DSN") is { } dsn ? FromDsn(dsn, reader) : FromParts(reader);
        if (options.Testing)
        {
            connection.Database = TestDatabaseName(connection.Database);
        }

        if (options.PoolMinSize <= options.PoolMaxSize)
        {
            connection.MaxPoolSize = options.PoolMaxSize;
            connection.MinPoolSize = options.PoolMinSize;
        }

        // Npgsql's Timeout bounds both opening a connection and waiting for a free one in the pool. Its default
        // (15 s) outlasts the request timeout, so an exhausted pool would end requests in 504 after 10 s; a short
        // wait answers 503 (retry shortly) instead. Like the pool sizes, it replaces a value written in DB_DSN.
        connection.Timeout = options.ConnectTimeoutSeconds;

        // Names the service's sessions in pg_stat_activity and the server log.
        if (string.IsNullOrEmpty(connection.ApplicationName))
        {
            connection.ApplicationName = ApplicationName;
        }

        // Statements used twice on a connection are prepared: PostgreSQL then skips parsing and planning them,
        // the larger share of its work for a lookup by primary key. A DSN that sets its own value keeps it.
        if (connection.MaxAutoPrepare == 0)
        {
            connection.MaxAutoPrepare = 32;
        }

        reader.ThrowIfFailed();
        options.ConnectionString = connection.ConnectionString;
        options.DisplayDsn = PostgresUrl.Display(options.Driver, connection);
    }

    /// <summary>Tests never touch the development database: its name always carries the suffix.</summary>
    public static string TestDatabaseName(string? database) =>
        string.IsNullOrEmpty(database) ? DefaultTestDatabase
        : database.EndsWith(TestDatabaseSuffix, StringComparison.Ordinal) ? database
        : database + TestDatabaseSuffix;

    private static NpgsqlConnectionStringBuilder FromDsn(string dsn, SettingReader reader)
    {
        if (PostgresUrl.IsUrl(dsn))
        {
            try
            {
                return PostgresUrl.Parse(dsn);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                // These messages name the offending option or part, never the password.
                reader.Fail("DB_DSN", $"not a valid postgresql:// URL ({e.Message})");
                return new NpgsqlConnectionStringBuilder();
            }
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(dsn);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            // Npgsql's message can quote a piece of a password that holds an unquoted ';': leave it out.
            reader.Fail("DB_DSN", "not a postgresql:// URL nor a valid Npgsql connection string (check the keywords; quote values that contain ';').");
            return new NpgsqlConnectionStringBuilder();
        }
    }

    private static NpgsqlConnectionStringBuilder FromParts(SettingReader reader)
    {
        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = reader.Required("DB_HOST"),
            Port = reader.Int("DB_PORT", min: 1, max: 65535),
            Username = reader.Required("DB_USER"),
            Password = reader.Optional("DB_PASSWORD"),
            // Unset: the server's default, a database named after the user (as libpq and the tutorial do).
            Database = reader.Optional("DB_DATABASE"),
        };
        if (reader.Optional("DB_SSL") is { } ssl)
        {
            if (PostgresUrl.TryParseSslMode(ssl, out var mode))
            {
                connection.SslMode = mode;
            }
            else
            {
                reader.Fail("DB_SSL", $"'{ssl}' is not one of disable, allow, prefer, require, verify-ca, verify-full, true, false.");
            }
        }

        return connection;
    }
}

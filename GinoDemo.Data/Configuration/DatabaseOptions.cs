using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GinoDemo.Data.Configuration;

/// <summary>The tutorial's <c>DB_*</c> settings, parsed and checked once, plus the connection they describe.</summary>
public sealed class DatabaseOptions
{
    public const string TestDatabaseSuffix = "_test";
    public const string DefaultTestDatabase = "gino_demo" + TestDatabaseSuffix;

    public string Driver { get; set; } = "postgresql";
    public int PoolMinSize { get; set; } = 1;
    public int PoolMaxSize { get; set; } = 16;
    public bool Echo { get; set; }
    public bool UseConnectionForRequest { get; set; } = true;
    public int RetryLimit { get; set; } = 1;
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);
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
    public static void Bind(IConfiguration configuration, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var reader = new SettingReader(configuration);

        options.Driver = reader.String("DB_DRIVER") ?? options.Driver;
        if (options.Driver is not ("postgresql" or "postgres"))
        {
            reader.Fail("DB_DRIVER", $"'{options.Driver}' is not supported; use 'postgresql'.");
        }

        options.PoolMinSize = reader.Int("DB_POOL_MIN_SIZE", options.PoolMinSize, min: 0);
        options.PoolMaxSize = reader.Int("DB_POOL_MAX_SIZE", options.PoolMaxSize, min: 1);
        if (options.PoolMinSize > options.PoolMaxSize)
        {
            reader.Fail("DB_POOL_MIN_SIZE", $"{options.PoolMinSize} is larger than DB_POOL_MAX_SIZE ({options.PoolMaxSize}).");
        }

        options.Echo = reader.Bool("DB_ECHO", options.Echo);
        options.UseConnectionForRequest = reader.Bool("DB_USE_CONNECTION_FOR_REQUEST", options.UseConnectionForRequest);
        options.RetryLimit = reader.Int("DB_RETRY_LIMIT", options.RetryLimit, min: 1);
        options.RetryInterval = TimeSpan.FromSeconds(reader.Int("DB_RETRY_INTERVAL", (int)options.RetryInterval.TotalSeconds, min: 0));
        options.Testing = reader.Bool("TESTING", options.Testing);

        var connection = reader.String("DB_DSN") is { } dsn ? FromDsn(dsn, reader) : FromParts(reader);
        if (options.Testing)
        {
            connection.Database = TestDatabaseName(connection.Database);
        }

        connection.MinPoolSize = options.PoolMinSize;
        connection.MaxPoolSize = options.PoolMaxSize;
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
        try
        {
            return PostgresUrl.IsUrl(dsn) ? PostgresUrl.Parse(dsn) : new NpgsqlConnectionStringBuilder(dsn);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
        {
            reader.Fail("DB_DSN", $"not a postgresql:// URL or an Npgsql connection string ({e.Message})");
            return new NpgsqlConnectionStringBuilder();
        }
    }

    private static NpgsqlConnectionStringBuilder FromParts(SettingReader reader)
    {
        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = reader.String("DB_HOST"),
            Username = reader.String("DB_USER"),
            Password = reader.String("DB_PASSWORD"),
            Database = reader.String("DB_DATABASE"),
        };
        connection.Port = reader.Int("DB_PORT", connection.Port, min: 1, max: 65535);
        if (reader.String("DB_SSL") is { } ssl)
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

/// <summary>Typed reads of flat keys that collect every failure, so one start reports all of them.</summary>
internal sealed class SettingReader(IConfiguration configuration)
{
    private readonly List<string> _failures = [];

    /// <summary>An empty value counts as unset, as in a <c>.env</c> line <c>DB_DSN=</c>.</summary>
    public string? String(string key) => configuration[key] is { Length: > 0 } value ? value : null;

    public int Int(string key, int fallback, int min, int max = int.MaxValue)
    {
        if (String(key) is not { } text)
        {
            return fallback;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            Fail(key, $"'{text}' is not a whole number.");
            return fallback;
        }

        if (value < min || value > max)
        {
            Fail(key, max == int.MaxValue ? $"{value} is below the minimum of {min}." : $"{value} is outside {min}..{max}.");
        }

        return value;
    }

    public bool Bool(string key, bool fallback)
    {
        switch (String(key)?.ToUpperInvariant())
        {
            case null: return fallback;
            case "TRUE" or "1": return true;
            case "FALSE" or "0": return false;
            default:
                Fail(key, $"'{configuration[key]}' is not a boolean (true, false, 1 or 0).");
                return fallback;
        }
    }

    public void Fail(string key, string problem) => _failures.Add($"{key}: {problem}");

    public void ThrowIfFailed()
    {
        if (_failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DatabaseOptions), _failures);
        }
    }
}

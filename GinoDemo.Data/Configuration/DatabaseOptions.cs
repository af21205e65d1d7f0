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

    /// <summary>Npgsql's <c>Max Auto Prepare</c> unless the DSN writes its own.</summary>
    public const int MaxAutoPrepare = 32;

    /// <summary>Npgsql's <c>TCP Keepalive Time</c> (seconds of idleness before the first probe) unless the DSN writes its own: well below every usual idle limit.</summary>
    public const int TcpKeepaliveTimeSeconds = 30;

    /// <summary>Npgsql's <c>TCP Keepalive Interval</c> (seconds between unanswered probes) unless the DSN writes its own.</summary>
    public const int TcpKeepaliveIntervalSeconds = 10;

    /// <summary>Npgsql's <c>Connection Idle Lifetime</c> (seconds) unless the DSN writes its own.</summary>
    public const int ConnectionIdleLifetimeSeconds = 60;

    // No defaults here: appsettings.json is the one place that has them, and Bind requires every key.
    public string Driver { get; set; } = "";
    public int PoolMinSize { get; set; }
    public int PoolMaxSize { get; set; }
    public int ConnectTimeoutSeconds { get; set; }
    public bool Echo { get; set; }
    public bool UseConnectionForRequest { get; set; }

    /// <summary>
    /// Whether statements are server-prepared (Npgsql's <c>Max Auto Prepare</c> above 0), as in effect after the DSN's
    /// own <c>Max Auto Prepare</c>: <c>DB_SERVER_PREPARED_STATEMENTS</c>, or the DSN's value unless that key is set explicitly.
    /// </summary>
    public bool ServerPreparedStatements { get; set; }

    /// <summary>The Npgsql connection string of <c>DB_READ_DSN</c> (a standby, or several hosts with Target Session Attributes); null when unset. Holds the password: never log it.</summary>
    public string? ReadConnectionString { get; set; }

    /// <summary><c>DB_READ_DSN</c> as a URL with the password masked; null when unset.</summary>
    public string? ReadDisplayDsn { get; set; }

    /// <summary><c>DB_READ_MAX_LAG</c>: how far behind the primary the standby may be before reads go to the primary.</summary>
    public TimeSpan ReadMaxLag { get; set; }
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
        options.ServerPreparedStatements = reader.Bool("DB_SERVER_PREPARED_STATEMENTS");
        options.ReadMaxLag = TimeSpan.FromSeconds(reader.Int("DB_READ_MAX_LAG", min: 1, max: 3600));
        options.RetryLimit = reader.Int("DB_RETRY_LIMIT", min: 1, max: 10_000);
        options.RetryInterval = TimeSpan.FromSeconds(reader.Int("DB_RETRY_INTERVAL", min: 0, max: 3600));
        options.MigrateOnStartup = reader.Bool("DB_MIGRATE_ON_STARTUP");
        options.Testing = reader.Bool("TESTING");

        var dsn = reader.Optional("DB_DSN");
        var connection = dsn is not null ? FromDsn(dsn, "DB_DSN", reader) : FromParts(reader);
        // The standby's DSN, same grammar; the same tuned defaults and DB_* keys apply to its own pool.
        var readDsn = reader.Optional("DB_READ_DSN");
        var read = readDsn is not null ? FromDsn(readDsn, "DB_READ_DSN", reader) : null;
        if (options.Testing)
        {
            connection.Database = TestDatabaseName(connection.Database);
            read?.Database = TestDatabaseName(read.Database);
        }

        ApplyTunedDefaults(connection, options, reader);
        if (read is not null)
        {
            ApplyTunedDefaults(read, options, reader);
        }

        if (!reader.HasFailed)
        {
            CheckWithNpgsql(connection, dsn is null ? "DB_HOST" : "DB_DSN", reader);
            if (read is not null)
            {
                CheckWithNpgsql(read, "DB_READ_DSN", reader);
            }
        }

        reader.ThrowIfFailed();
        // What the pool really uses, where the DSN's own values won: the start-up wait and its messages read these.
        options.PoolMinSize = connection.MinPoolSize;
        options.PoolMaxSize = connection.MaxPoolSize;
        options.ConnectTimeoutSeconds = connection.Timeout;
        options.ServerPreparedStatements = connection.MaxAutoPrepare > 0;
        options.ConnectionString = connection.ConnectionString;
        options.DisplayDsn = PostgresUrl.Display(options.Driver, connection);
        options.ReadConnectionString = read?.ConnectionString;
        options.ReadDisplayDsn = read is null ? null : PostgresUrl.Display(options.Driver, read);
    }

    /// <summary>Whether a <c>DB_*</c> boolean such as <c>DB_ECHO</c> is on (true or 1, any case); a malformed one is off here and refused by <see cref="Bind"/>.</summary>
    public static bool IsOn(string? value) => SettingReader.TryParseBool(value, out var on) && on;

    /// <summary>Tests never touch the development database: its name always carries the suffix.</summary>
    public static string TestDatabaseName(string? database) =>
        string.IsNullOrEmpty(database) ? DefaultTestDatabase
        : database.EndsWith(TestDatabaseSuffix, StringComparison.Ordinal) ? database
        : database + TestDatabaseSuffix;

    /// <summary>
    /// The service's Npgsql settings, each applied only where the DSN does not write its own (a value the DSN states
    /// is never replaced by a default); of them, only the pool sizes and the connect timeout have a <c>DB_*</c> key,
    /// and that key replaces the DSN's value only when it is set explicitly (<see cref="SettingReader.IsExplicit"/>).
    /// Without a DSN nothing is written, so every one applies.
    /// </summary>
    private static void ApplyTunedDefaults(NpgsqlConnectionStringBuilder connection, DatabaseOptions options, SettingReader reader)
    {
        var written = connection.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        void Tune(string keyword, object value, string? key = null)
        {
            if (!written.Contains(keyword) || (key is not null && reader.IsExplicit(key)))
            {
                connection[keyword] = value;
            }
        }

        Tune("Minimum Pool Size", options.PoolMinSize, "DB_POOL_MIN_SIZE");
        Tune("Maximum Pool Size", options.PoolMaxSize, "DB_POOL_MAX_SIZE");

        // Npgsql's Timeout bounds both opening a connection and waiting for a free one in the pool. Its default
        // (15 s) outlasts the request timeout, so an exhausted pool would end requests in 504 after 10 s; a short
        // wait answers 503 (retry shortly) instead.
        Tune("Timeout", options.ConnectTimeoutSeconds, "DB_CONNECT_TIMEOUT");

        // Names the service's sessions in pg_stat_activity and the server log.
        Tune("Application Name", ApplicationName);

        // Statements used twice on a connection are prepared: PostgreSQL then skips parsing and planning them, the
        // larger share of its work for a lookup by primary key. A prepared statement lives in one server session, so
        // behind a pooler that hands each transaction to any session (PgBouncer in transaction mode before 1.21) they
        // cannot work: DB_SERVER_PREPARED_STATEMENTS=false (or the DSN's Max Auto Prepare=0) prepares nothing.
        // Explicitly true keeps a DSN's own positive value.
        var prepared = options.ServerPreparedStatements;
        Tune("Max Auto Prepare", prepared ? MaxAutoPrepare : 0,
            prepared && written.Contains("Max Auto Prepare") && connection.MaxAutoPrepare > 0 ? null : "DB_SERVER_PREPARED_STATEMENTS");

        // Idle connections must not outlive the idle limits between the pool and the server: NAT gateways and load
        // balancers (AWS NLB and NAT gateway 350 s, Azure Load Balancer 240 s by default) forget a connection that
        // carries no packet. TCP keepalives (libpq's default, keepalives=1) carry one every 30 s on an idle
        // connection, which keeps their state, and find a dead peer within 30 + 9 x 10 s (Linux's 9 probes) without
        // a request. They are below the protocol, so PostgreSQL's idle_session_timeout still ends sessions idle
        // longer than the operator allows (Npgsql's own Keepalive would reset it): the request that then finds its
        // connection closed is retried (RetryWhatDidNotRunExecutionStrategy). A DSN that switches them off keeps
        // them off.
        Tune("TCP Keepalive", true);
        if (connection.TcpKeepAlive)
        {
            Tune("TCP Keepalive Time", TcpKeepaliveTimeSeconds);
            Tune("TCP Keepalive Interval", TcpKeepaliveIntervalSeconds);
        }

        // The pool closes what a burst opened once it has sat idle for about this long (Npgsql samples the idle count
        // every Connection Pruning Interval, 10 s, and closes the median of a lifetime's samples), down to
        // DB_POOL_MIN_SIZE; Npgsql's 300 s would outlive Azure's 240 s if keepalives were switched off. Npgsql
        // refuses a lifetime shorter than the pruning interval, so a DSN's longer interval raises it.
        Tune("Connection Idle Lifetime", Math.Max(ConnectionIdleLifetimeSeconds, connection.ConnectionPruningInterval));
    }

    /// <summary>What Npgsql itself refuses only when the pool is built (a pool minimum above its maximum, a target session for one host...).</summary>
    private static void CheckWithNpgsql(NpgsqlConnectionStringBuilder connection, string key, SettingReader reader)
    {
        try
        {
            using var dataSource = new NpgsqlDataSourceBuilder(connection.ConnectionString).Build();
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            // Npgsql's checks name settings and numbers, never the password.
            reader.Fail(key, $"Npgsql refuses the resulting settings: {e.Message}");
        }
    }

    private static NpgsqlConnectionStringBuilder FromDsn(string dsn, string key, SettingReader reader)
    {
        if (PostgresUrl.IsUrl(dsn))
        {
            try
            {
                return PostgresUrl.Parse(dsn);
            }
            catch (NotSupportedException e)
            {
                reader.Fail(key, e.Message);
                return new NpgsqlConnectionStringBuilder();
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                // These messages name the offending parameter or part, never the password.
                reader.Fail(key, $"not a valid postgresql:// URL ({e.Message})");
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
            reader.Fail(key, "not a postgresql:// URL nor a valid Npgsql connection string (check the keywords; quote values that contain ';').");
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

using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests;

/// <summary>
/// <c>DB_DSN</c> as a libpq connection URI (PostgreSQL 15 documentation, section 34.1.1.2 "Connection URIs"): every
/// form of the authority, percent-decoding, the query overriding it, and the masked form the logs show.
/// </summary>
public sealed class PostgresUrlTests : DatabaseSettingsTest
{
    [Test]
    public void A_percent_encoded_socket_directory_as_the_host_starts()
    {
        // The issue's input, libpq's documented form (34.1.1.2: postgresql://%2Fvar%2Flib%2Fpostgresql/dbname).
        var options = Load(("DB_DSN", "postgresql://postgres@%2Fvar%2Frun%2Fpostgresql/gino_demo"));

        var connection = Connection(options);
        connection.Host.Should().Be("/var/run/postgresql");
        connection.Username.Should().Be("postgres");
        connection.Database.Should().Be("gino_demo");
        options.DisplayDsn.Should().Be("postgresql://postgres@%2Fvar%2Frun%2Fpostgresql:5432/gino_demo");
    }

    [Test]
    public void A_socket_directory_with_a_password_and_port_is_shown_masked()
    {
        var options = Load(("DB_DSN", "postgresql://postgres:s3cret@%2Ftmp:5433/gino_demo"));

        Connection(options).Host.Should().Be("/tmp");
        Connection(options).Port.Should().Be(5433);
        options.DisplayDsn.Should().Be("postgresql://postgres:***@%2Ftmp:5433/gino_demo").And.NotContain("s3cret");
    }

    [Test]
    public void A_socket_directory_may_come_in_the_host_parameter()
    {
        var connection = Connection(Load(("DB_DSN", "postgresql:///gino_demo?host=/var/run/postgresql&port=5433")));

        connection.Host.Should().Be("/var/run/postgresql");
        connection.Port.Should().Be(5433);
    }

    [Test]
    public void An_empty_host_means_localhost_and_the_default_port()
    {
        var connection = Connection(Load(("DB_DSN", "postgresql:///gino_demo")));

        connection.Host.Should().Be("localhost");
        connection.Port.Should().Be(5432);
    }

    [Test]
    public void A_bare_scheme_is_a_whole_url()
    {
        var options = Load(("DB_DSN", "postgres://"));

        Connection(options).Host.Should().Be("localhost");
        Connection(options).Port.Should().Be(5432);
    }

    [Test]
    public void An_ipv6_address_is_written_in_brackets()
    {
        var options = Load(("DB_DSN", "postgresql://u@[::1]:5433/d"));

        Connection(options).Host.Should().Be("::1");
        Connection(options).Port.Should().Be(5433);
        options.DisplayDsn.Should().Be("postgresql://u@[::1]:5433/d");
    }

    [Test]
    public void Several_hosts_each_keep_their_port()
    {
        // 34.1.1.2's own example.
        var options = Load(("DB_DSN", "postgresql://host1:123,host2:456/somedb?target_session_attrs=any&application_name=myapp"));

        var connection = Connection(options);
        connection.Host.Should().Be("host1:123,host2:456");
        connection.Database.Should().Be("somedb");
        connection.TargetSessionAttributes.Should().Be("any");
        connection.ApplicationName.Should().Be("myapp");
        options.DisplayDsn.Should().Be($"postgresql://{Environment.UserName}@host1:123,host2:456/somedb", "libpq's default user is the operating-system user");
    }

    [Test]
    public void Several_hosts_may_share_one_port_and_mix_ipv6_and_sockets()
    {
        var connection = Connection(Load(("DB_DSN", "postgresql://u@[::1]:6000,%2Ftmp:6001,db.example/d")));

        connection.Host.Should().Be("[::1]:6000,/tmp:6001,db.example");
        connection.Port.Should().Be(5432);
        Connection(Load(("DB_DSN", "postgresql://u@h1,h2/d?port=6000"))).Should().Match<NpgsqlConnectionStringBuilder>(c => c.Host == "h1,h2" && c.Port == 6000);
    }

    [Test]
    public void Several_hosts_open_a_pool_that_reaches_the_live_one()
    {
        // A real server behind the second host: Npgsql's multi-host pool skips the dead first one.
        var server = Connection(TestDatabase.Options);
        var dsn = $"postgresql://{Uri.EscapeDataString(server.Username!)}:{Uri.EscapeDataString(server.Password ?? "")}@127.0.0.1:1,{server.Host}:{server.Port}/{server.Database}";
        var options = Load(("DB_DSN", dsn));

        using var dataSource = GinoDemo.Data.Connections.DataSourceFactory.Create(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        using var connection = dataSource.OpenConnection();
        using var command = new NpgsqlCommand("SELECT current_database()", connection);

        command.ExecuteScalar().Should().Be(server.Database);
    }

    [Test]
    public void The_query_replaces_the_hosts_and_ports_of_the_authority()
    {
        var connection = Connection(Load(("DB_DSN", "postgresql://u@h:1/d?host=other&port=2")));

        connection.Host.Should().Be("other");
        connection.Port.Should().Be(2);
    }

    [Test]
    public void User_password_and_database_are_percent_decoded()
    {
        var connection = Connection(Load(("DB_DSN", "postgres://m%C3%A9:p%40ss%3Aw%2Frd@db.example:6002/my%20db%2Fx")));

        connection.Username.Should().Be("mé");
        connection.Password.Should().Be("p@ss:w/rd");
        connection.Database.Should().Be("my db/x");
    }

    [Test]
    public void An_unencoded_at_sign_in_the_password_still_ends_at_the_host() =>
        Connection(Load(("DB_DSN", "postgresql://u:p@ss@h/d"))).Should().Match<NpgsqlConnectionStringBuilder>(c => c.Password == "p@ss" && c.Host == "h");

    [Test]
    public void A_url_may_carry_npgsql_keywords_beyond_libpq_ones()
    {
        var connection = Connection(Load(("DB_DSN", "postgresql://u@h/d?Command%20Timeout=7&Include%20Error%20Detail=true")));

        connection.CommandTimeout.Should().Be(7);
        connection.IncludeErrorDetail.Should().BeTrue();
    }

    [TestCase("postgresql://u@h/d?no_such_option=1", "no_such_option")]
    [TestCase("postgresql://u@h/d?ssl_mode=require", "ssl_mode")]
    public void An_unknown_parameter_is_refused_by_name(string dsn, string name) =>
        Failures(("DB_DSN", dsn)).Should().ContainSingle().Which.Should().StartWith("DB_DSN: ").And.Contain($"'{name}'");

    [TestCase("postgresql://u@h1:1,h2:2,h3:3/d?port=5,6", "2 ports for 3 hosts")]
    [TestCase("postgresql://u@h:abc/d", "port 'abc'")]
    [TestCase("postgresql://u@h:0/d", "port '0'")]
    [TestCase("postgresql://u@[::1/d", "']'")]
    [TestCase("postgresql://u@h/d?sslmode", "'sslmode'")]
    [TestCase("postgresql://u@h/d?sslmode=require=1", "'sslmode'")]
    [TestCase("postgresql://u@h/d%", "database name")]
    [TestCase("postgresql://u@h/d%00", "%00")]
    [TestCase("postgresql://u@h/d?Command%20Timeout=soon", "'Command Timeout'")]
    public void A_url_libpq_would_not_read_is_refused_saying_where(string dsn, string where) =>
        Failures(("DB_DSN", dsn)).Should().ContainSingle().Which.Should().StartWith("DB_DSN: not a valid postgresql:// URL").And.Contain(where);

    [TestCase("postgresql://u:s3cr%zzt@h/d")]
    [TestCase("postgresql://u:s3cret@h/d?Password=s3cret2&Password=%zz")]
    [TestCase("postgresql://u:s3cr/et@h:5432/d")]
    [TestCase("postgresql://u:5432/s3cret@h:5432/d")]
    [TestCase("postgresql://u:s3cr?et=x@h/d")]
    [TestCase("postgresql://u:s3cr?et@h/d")]
    [TestCase("postgresql://u:s3cr&et?a=1@h/d")]
    public void A_refusal_never_shows_the_password(string dsn) =>
        Failures(("DB_DSN", dsn)).Should().NotBeEmpty().And.AllSatisfy(failure => failure.Should().NotContain("s3cr"));
}

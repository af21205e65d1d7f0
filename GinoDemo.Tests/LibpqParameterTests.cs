using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>
/// Every parameter key word of libpq (PostgreSQL 15 documentation, section 34.1.2 "Parameter Key Words"), one case
/// each, in a <c>DB_DSN</c> URL's query: mapped to the Npgsql setting that does the same (Npgsql's connection string
/// keywords), or refused at start with a message that names it.
/// </summary>
public sealed class LibpqParameterTests : DatabaseSettingsTest
{
    private const string KeywordProperty = "LibpqKeyword";

    /// <summary>The documented list, in the documentation's order: 37 key words.</summary>
    private static readonly string[] DocumentedKeywords =
    [
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "channel_binding", "connect_timeout",
        "client_encoding", "options", "application_name", "fallback_application_name", "keepalives", "keepalives_idle",
        "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "sslmode", "requiressl",
        "sslcompression", "sslcert", "sslkey", "sslpassword", "sslsni", "sslrootcert", "sslcrl", "sslcrldir", "requirepeer",
        "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib", "service", "target_session_attrs",
    ];

    /// <summary>A URL with the parameter, the Npgsql keyword it must set, and the value Npgsql must then hold.</summary>
    private static IEnumerable<TestCaseData> Mapped()
    {
        static TestCaseData Case(string keyword, string url, string npgsqlKeyword, string expected) =>
            new TestCaseData(url, npgsqlKeyword, expected).SetArgDisplayNames(keyword).SetProperty(KeywordProperty, keyword);

        yield return Case("host", "postgresql:///d?host=db.example", "Host", "db.example");
        yield return Case("hostaddr", "postgresql:///d?hostaddr=192.0.2.7", "Host", "192.0.2.7");
        yield return Case("port", "postgresql://h/d?port=6543", "Port", "6543");
        yield return Case("dbname", "postgresql://h?dbname=other", "Database", "other");
        yield return Case("user", "postgresql://h/d?user=alice", "Username", "alice");
        yield return Case("password", "postgresql://h/d?password=p%26w", "Password", "p&w");
        yield return Case("passfile", "postgresql://h/d?passfile=/run/secrets/pgpass", "Passfile", "/run/secrets/pgpass");
        yield return Case("channel_binding", "postgresql://h/d?channel_binding=require", "Channel Binding", "Require");
        yield return Case("connect_timeout", "postgresql://h/d?connect_timeout=9", "Timeout", "9");
        yield return Case("client_encoding", "postgresql://h/d?client_encoding=UTF8", "Client Encoding", "UTF8");
        yield return Case("options", "postgresql://h/d?options=-c%20statement_timeout%3D5s", "Options", "-c statement_timeout=5s");
        yield return Case("application_name", "postgresql://h/d?application_name=billing", "Application Name", "billing");
        yield return Case("fallback_application_name", "postgresql://h/d?fallback_application_name=billing", "Application Name", "billing");
        yield return Case("keepalives", "postgresql://h/d?keepalives=1", "TCP Keepalive", "True");
        yield return Case("keepalives_idle", "postgresql://h/d?keepalives_idle=60", "TCP Keepalive Time", "60");
        yield return Case("keepalives_interval", "postgresql://h/d?keepalives_idle=60&keepalives_interval=5", "TCP Keepalive Interval", "5");
        yield return Case("gssencmode", "postgresql://h/d?gssencmode=disable", "GSS Encryption Mode", "Disable");
        yield return Case("sslmode", "postgresql://h/d?sslmode=verify-full", "SSL Mode", "VerifyFull");
        yield return Case("requiressl", "postgresql://h/d?requiressl=1", "SSL Mode", "Require");
        yield return Case("sslcompression", "postgresql://h/d?sslcompression=0", "SSL Mode", "Prefer");
        yield return Case("sslcert", "postgresql://h/d?sslcert=/certs/client.crt", "SSL Certificate", "/certs/client.crt");
        yield return Case("sslkey", "postgresql://h/d?sslkey=/certs/client.key", "SSL Key", "/certs/client.key");
        yield return Case("sslpassword", "postgresql://h/d?sslpassword=k3y", "SSL Password", "k3y");
        yield return Case("sslsni", "postgresql://h/d?sslsni=1", "SSL Mode", "Prefer");
        yield return Case("sslrootcert", "postgresql://h/d?sslrootcert=/certs/root.crt", "Root Certificate", "/certs/root.crt");
        yield return Case("krbsrvname", "postgresql://h/d?krbsrvname=pgsql", "Kerberos Service Name", "pgsql");
        yield return Case("gsslib", "postgresql://h/d?gsslib=gssapi", "SSL Mode", "Prefer");
        yield return Case("target_session_attrs", "postgresql://h1,h2/d?target_session_attrs=read-write", "Target Session Attributes", "read-write");
    }

    /// <summary>A URL with the parameter, which Npgsql cannot honour: refused, by name.</summary>
    private static IEnumerable<TestCaseData> Refused()
    {
        static TestCaseData Case(string keyword, string query) =>
            new TestCaseData(keyword, $"postgresql://h/d?{query}").SetArgDisplayNames(keyword).SetProperty(KeywordProperty, keyword);

        yield return Case("keepalives_count", "keepalives_count=3");
        yield return Case("tcp_user_timeout", "tcp_user_timeout=10000");
        yield return Case("replication", "replication=database");
        yield return Case("sslcrl", "sslcrl=/certs/root.crl");
        yield return Case("sslcrldir", "sslcrldir=/certs/crl");
        yield return Case("requirepeer", "requirepeer=postgres");
        yield return Case("ssl_min_protocol_version", "ssl_min_protocol_version=TLSv1.3");
        yield return Case("ssl_max_protocol_version", "ssl_max_protocol_version=TLSv1.2");
        yield return Case("service", "service=billing");
    }

    [Test]
    public void Every_documented_keyword_has_exactly_one_case()
    {
        var covered = Mapped().Concat(Refused()).Select(test => (string)test.Properties.Get(KeywordProperty)!);

        covered.Should().BeEquivalentTo(DocumentedKeywords).And.OnlyHaveUniqueItems();
    }

    [TestCaseSource(nameof(Mapped))]
    public void A_libpq_parameter_sets_its_npgsql_setting(string url, string npgsqlKeyword, string expected)
    {
        var connection = Connection(Load(("DB_DSN", url)));

        connection[npgsqlKeyword].ToString().Should().Be(expected);
    }

    [TestCaseSource(nameof(Refused))]
    public void A_parameter_npgsql_cannot_honour_is_refused_by_name(string keyword, string url) =>
        Failures(("DB_DSN", url)).Should().ContainSingle().Which.Should().StartWith($"DB_DSN: {keyword}=").And.Contain("cannot be honoured");

    [TestCase("connect_timeout=1", "Timeout", "2")]
    [TestCase("connect_timeout=0", "Timeout", "0")]
    [TestCase("connect_timeout=-5", "Timeout", "0")]
    [TestCase("requiressl=0", "SSL Mode", "Prefer")]
    [TestCase("requiressl=1&sslmode=disable", "SSL Mode", "Disable")]
    [TestCase("sslmode=disable&requiressl=1", "SSL Mode", "Require")]
    [TestCase("ssl=true", "SSL Mode", "Require")]
    [TestCase("client_encoding=utf-8", "Client Encoding", "UTF8")]
    [TestCase("keepalives=0&keepalives_idle=60", "TCP Keepalive Time", "0")]
    [TestCase("keepalives=0", "TCP Keepalive", "False")]
    [TestCase("application_name=a&fallback_application_name=b", "Application Name", "a")]
    [TestCase("fallback_application_name=b&application_name=a", "Application Name", "a")]
    [TestCase("keepalives_interval=5", "TCP Keepalive Interval", "5")]
    [TestCase("keepalives_interval=5", "TCP Keepalive Time", "30")]
    public void A_value_is_translated_where_libpq_and_npgsql_differ(string query, string npgsqlKeyword, string expected) =>
        Connection(Load(("DB_DSN", $"postgresql://h/d?{query}")))[npgsqlKeyword].ToString().Should().Be(expected);

    [TestCase("postgresql://h/d?hostaddr=192.0.2.7", "hostaddr together with host")]
    [TestCase("postgresql:///d?hostaddr=db.example", "hostaddr")]
    [TestCase("postgresql://h/d?sslcompression=1", "sslcompression=1")]
    [TestCase("postgresql://h/d?sslsni=0", "sslsni=0")]
    [TestCase("postgresql://h/d?gsslib=sspi", "gsslib=sspi")]
    [TestCase("postgresql://h/d?client_encoding=LATIN1", "client_encoding=LATIN1")]
    [TestCase("postgresql://h/d?connect_timeout=2000", "connect_timeout=2000")]
    [TestCase("postgresql://h/d?target_session_attrs=read-write", "Target Session Attributes")]
    [TestCase("postgresql://h1,h2/d?target_session_attrs=prefer-primary", "target_session_attrs=prefer-primary")]
    [TestCase("postgresql://h/d?channel_binding=yes", "channel_binding=yes")]
    [TestCase("postgresql://h/d?sslmode=true", "sslmode=true")]
    [TestCase("postgresql://h/d?keepalives=2", "keepalives=2")]
    [TestCase("postgresql://h/d?ssl=false", "ssl=false")]
    public void A_value_npgsql_cannot_honour_is_refused_naming_the_parameter(string url, string named) =>
        Failures(("DB_DSN", url)).Should().ContainSingle().Which.Should().StartWith("DB_DSN: ").And.Contain(named);

    [Test]
    public void A_bad_ssl_password_is_refused_without_its_value() =>
        Failures(("DB_DSN", "postgresql://u:s3cret@h/d?sslpassword=s3cret2&sslpassword=%zz")).Should().ContainSingle()
            .Which.Should().NotContain("s3cret");
}

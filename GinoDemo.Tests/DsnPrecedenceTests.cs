using GinoDemo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GinoDemo.Tests;

/// <summary>
/// A value the DSN states is never replaced by a default: each Npgsql setting the service tunes is applied only where
/// <c>DB_DSN</c> does not write it, and only a <c>DB_*</c> key set explicitly (environment, <c>.env</c>), not one
/// that is merely <c>appsettings.json</c>'s default, replaces it. The expected defaults are the README's figures.
/// </summary>
public sealed class DsnPrecedenceTests : DatabaseSettingsTest
{
    /// <summary>Npgsql keyword, the service's default (README), a value a DSN writes, and its DB_* key if it has one.</summary>
    private static IEnumerable<TestCaseData> TunedDefaults()
    {
        yield return new TestCaseData("Max Auto Prepare", "32", "0", null).SetArgDisplayNames("Max Auto Prepare");
        yield return new TestCaseData("Maximum Pool Size", "16", "40", "DB_POOL_MAX_SIZE").SetArgDisplayNames("Maximum Pool Size");
        yield return new TestCaseData("Minimum Pool Size", "1", "0", "DB_POOL_MIN_SIZE").SetArgDisplayNames("Minimum Pool Size");
        yield return new TestCaseData("Timeout", "2", "9", "DB_CONNECT_TIMEOUT").SetArgDisplayNames("Timeout");
        yield return new TestCaseData("Application Name", "gino-demo", "billing", null).SetArgDisplayNames("Application Name");
        yield return new TestCaseData("TCP Keepalive", "True", "False", null).SetArgDisplayNames("TCP Keepalive");
        yield return new TestCaseData("TCP Keepalive Time", "30", "120", null).SetArgDisplayNames("TCP Keepalive Time");
        yield return new TestCaseData("TCP Keepalive Interval", "10", "5", null).SetArgDisplayNames("TCP Keepalive Interval");
        yield return new TestCaseData("Connection Idle Lifetime", "60", "300", null).SetArgDisplayNames("Connection Idle Lifetime");
    }

    [TestCaseSource(nameof(TunedDefaults))]
    public void Without_a_dsn_value_the_default_applies(string keyword, string expected, string written, string? key)
    {
        Connection(Load())[keyword].ToString().Should().Be(expected);
        Connection(Load(("DB_DSN", "postgresql://u@h/d")))[keyword].ToString().Should().Be(expected);
        Connection(Load(("DB_DSN", "Host=h;Username=u")))[keyword].ToString().Should().Be(expected);
    }

    [TestCaseSource(nameof(TunedDefaults))]
    public void A_value_written_in_a_dsn_url_is_kept(string keyword, string expected, string written, string? key) =>
        Connection(Load(("DB_DSN", $"postgresql://u@h/d?{Uri.EscapeDataString(keyword)}={written}")))[keyword].ToString().Should().Be(written);

    [TestCaseSource(nameof(TunedDefaults))]
    public void A_value_written_in_an_npgsql_dsn_is_kept(string keyword, string expected, string written, string? key) =>
        Connection(Load(("DB_DSN", $"Host=h;Username=u;{keyword}={written}")))[keyword].ToString().Should().Be(written);

    /// <summary>The tuned settings that have a DB_* key (README, Configuration); nothing replaces the others' DSN value.</summary>
    private static IEnumerable<TestCaseData> KeyedDefaults() => TunedDefaults().Where(data => data.Arguments[3] is not null);

    [TestCaseSource(nameof(KeyedDefaults))]
    public void Only_an_explicit_db_key_replaces_the_dsn_value(string keyword, string expected, string written, string key)
    {
        var dsn = ("DB_DSN", $"Host=h;Username=u;{keyword}={written}");

        Connection(Load(dsn, (key, "3")))[keyword].ToString().Should().Be("3");
        WriteDotEnv($"{key}=3");
        Connection(Load(dsn))[keyword].ToString().Should().Be("3", "a key in .env is set explicitly too");
    }

    [Test]
    public void The_issue_url_keeps_max_auto_prepare_at_zero() =>
        Connection(Load(("DB_DSN", "postgresql://postgres@127.0.0.1/gino_demo?Max%20Auto%20Prepare=0"))).MaxAutoPrepare.Should().Be(0);

    [Test]
    public void Libpq_connect_timeout_in_the_dsn_is_kept_unless_db_connect_timeout_is_set()
    {
        Connection(Load(("DB_DSN", "postgresql://u@h/d?connect_timeout=9"))).Timeout.Should().Be(9);
        Connection(Load(("DB_DSN", "postgresql://u@h/d?connect_timeout=9"), ("DB_CONNECT_TIMEOUT", "5"))).Timeout.Should().Be(5);
    }

    [Test]
    public void A_dsn_pool_maximum_below_an_explicit_minimum_is_refused_at_start() =>
        Failures(("DB_DSN", "Host=h;Username=u;Maximum Pool Size=2"), ("DB_POOL_MIN_SIZE", "5")).Should().ContainSingle()
            .Which.Should().StartWith("DB_DSN: Npgsql refuses the resulting settings");

    [Test]
    public void A_dsn_pruning_interval_above_the_idle_lifetime_default_raises_it() =>
        Connection(Load(("DB_DSN", "Host=h;Username=u;Connection Pruning Interval=120"))).ConnectionIdleLifetime.Should().Be(120);

    [Test]
    public void A_dsn_that_switches_tcp_keepalives_off_gets_no_probe_timing_either()
    {
        var connection = Connection(Load(("DB_DSN", "postgresql://u@h/d?keepalives=0")));

        connection.TcpKeepAlive.Should().BeFalse();
        connection.TcpKeepAliveTime.Should().Be(0);
        connection.TcpKeepAliveInterval.Should().Be(0);
    }

    [Test]
    public void No_protocol_level_keepalive_is_sent_so_idle_session_timeout_still_applies() =>
        Connection(Load()).KeepAlive.Should().Be(0);

    [Test]
    public async Task The_running_api_runs_no_server_prepared_statement_when_the_dsn_says_max_auto_prepare_0()
    {
        // The issue's symptom, through the API's own configuration chain: after enough uses of one statement,
        // PostgreSQL holds a prepared statement on the session only if Npgsql auto-prepares.
        (await PreparedStatementsAfterRepeatedUse(maxAutoPrepare: null)).Should().BeGreaterThan(0, "the default prepares (Max Auto Prepare 32)");
        (await PreparedStatementsAfterRepeatedUse(maxAutoPrepare: 0)).Should().Be(0);
    }

    private static async Task<long> PreparedStatementsAfterRepeatedUse(int? maxAutoPrepare)
    {
        var dsn = new NpgsqlConnectionStringBuilder(TestDatabase.Options.ConnectionString);
        dsn.Remove("Max Auto Prepare");
        if (maxAutoPrepare is { } value)
        {
            dsn.MaxAutoPrepare = value;
        }

        await using var api = new ApiFactory(new Dictionary<string, string?> { ["DB_DSN"] = dsn.ConnectionString });
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        for (var i = 0; i < 10; i++)
        {
            await using var lookup = new NpgsqlCommand("SELECT count(*) FROM users WHERE id = $1", connection) { Parameters = { new() { Value = 1L } } };
            await lookup.ExecuteScalarAsync();
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}

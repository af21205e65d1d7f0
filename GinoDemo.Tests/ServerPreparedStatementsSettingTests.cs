using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests;

/// <summary>
/// <c>DB_SERVER_PREPARED_STATEMENTS</c> and <c>DB_READ_DSN</c> follow the DSN precedence rules (README, Configuration):
/// the DSN's own <c>Max Auto Prepare</c> is kept unless the key is set explicitly; the read DSN has the grammar,
/// tuned defaults, TESTING suffix and masking of <c>DB_DSN</c>.
/// </summary>
public sealed class ServerPreparedStatementsSettingTests : DatabaseSettingsTest
{
    [Test]
    public void Off_prepares_nothing_even_where_the_dsn_says_otherwise()
    {
        Connection(Load(("DB_SERVER_PREPARED_STATEMENTS", "false"))).MaxAutoPrepare.Should().Be(0);
        var options = Load(("DB_DSN", "Host=h;Username=u;Max Auto Prepare=10"), ("DB_SERVER_PREPARED_STATEMENTS", "0"));
        Connection(options).MaxAutoPrepare.Should().Be(0);
        options.ServerPreparedStatements.Should().BeFalse();
        WriteDotEnv("DB_SERVER_PREPARED_STATEMENTS=false");
        Connection(Load(("DB_DSN", "Host=h;Username=u;Max Auto Prepare=10"))).MaxAutoPrepare.Should().Be(0, "a key in .env is set explicitly too");
    }

    [Test]
    public void Unset_it_keeps_the_dsn_value_which_then_decides()
    {
        var options = Load(("DB_DSN", "postgresql://u@h/d?Max%20Auto%20Prepare=0"));

        Connection(options).MaxAutoPrepare.Should().Be(0);
        options.ServerPreparedStatements.Should().BeFalse("the setting in effect is what the DSN wrote");
        Load().ServerPreparedStatements.Should().BeTrue();
    }

    [Test]
    public void Explicitly_on_it_replaces_a_dsn_zero_and_keeps_a_dsn_positive_value()
    {
        Connection(Load(("DB_DSN", "Host=h;Username=u;Max Auto Prepare=0"), ("DB_SERVER_PREPARED_STATEMENTS", "true"))).MaxAutoPrepare.Should().Be(32);
        Connection(Load(("DB_DSN", "Host=h;Username=u;Max Auto Prepare=10"), ("DB_SERVER_PREPARED_STATEMENTS", "true"))).MaxAutoPrepare.Should().Be(10);
    }

    [Test]
    public void A_malformed_value_is_named() =>
        Failures(("DB_SERVER_PREPARED_STATEMENTS", "sometimes")).Should().ContainSingle().Which.Should().StartWith("DB_SERVER_PREPARED_STATEMENTS:");

    [Test]
    public void The_read_dsn_is_read_as_db_dsn_is_with_the_same_tuned_defaults_and_a_masked_display()
    {
        var options = Load(("TESTING", "true"), ("DB_SERVER_PREPARED_STATEMENTS", "false"),
            ("DB_READ_DSN", "postgresql://app:s3cret@standby-1:5433,standby-2:5433/gino_demo?target_session_attrs=prefer-standby"));
        var read = new NpgsqlConnectionStringBuilder(options.ReadConnectionString);

        read.Host.Should().Be("standby-1,standby-2");
        read.Database.Should().Be("gino_demo_test");
        read.TargetSessionAttributes.Should().Be("prefer-standby");
        read.MaxAutoPrepare.Should().Be(0);
        read.MaxPoolSize.Should().Be(16);
        read.ApplicationName.Should().Be("gino-demo");
        options.ReadDisplayDsn.Should().NotContain("s3cret").And.Contain("***");
        Load().ReadConnectionString.Should().BeNull();
    }

    [Test]
    public void A_malformed_read_dsn_or_lag_bound_is_named()
    {
        Failures(("DB_READ_DSN", "postgresql://h/d?no_such_parameter=1")).Should().ContainSingle().Which.Should().StartWith("DB_READ_DSN:");
        Failures(("DB_READ_MAX_LAG", "0")).Should().ContainSingle().Which.Should().StartWith("DB_READ_MAX_LAG:");
    }
}

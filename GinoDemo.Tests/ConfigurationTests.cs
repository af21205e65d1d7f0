using GinoDemo.Data.Configuration;
using GinoDemo.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GinoDemo.Tests;

/// <summary>The tutorial's config.py rules: env &gt; .env &gt; defaults, DB_DSN beats the parts, TESTING, bad values.</summary>
public sealed class ConfigurationTests : DatabaseSettingsTest
{
    [Test]
    public void The_defaults_come_from_appsettings_json()
    {
        var connection = Connection(Load());

        connection.Host.Should().Be("localhost");
        connection.Port.Should().Be(5432);
        connection.Username.Should().Be("postgres");
        connection.Database.Should().Be("gino_demo");
        connection.MinPoolSize.Should().Be(1);
        connection.MaxPoolSize.Should().Be(16);
    }

    [Test]
    public void The_defaults_match_the_tutorial()
    {
        var options = Load();

        options.Echo.Should().BeFalse();
        options.UseConnectionForRequest.Should().BeTrue();
        options.RetryLimit.Should().Be(1);
        options.RetryInterval.Should().Be(TimeSpan.FromSeconds(1));
        options.Testing.Should().BeFalse();
    }

    [Test]
    public void A_dotenv_file_beats_the_defaults_and_the_environment_beats_the_dotenv_file()
    {
        WriteDotEnv("DB_HOST=dotenv-host", "DB_PORT=6000", "# a comment", "", "export DB_USER='quoted user'");

        var connection = Connection(Load(("DB_PORT", "7000")));

        connection.Host.Should().Be("dotenv-host");
        connection.Port.Should().Be(7000);
        connection.Username.Should().Be("quoted user");
    }

    [Test]
    public void The_real_process_environment_outranks_the_dotenv_file()
    {
        WriteDotEnv("DB_PORT=6000");
        string[] keys = ["DB_PORT", "DB_DSN", "DB_HOST"];
        var before = keys.Select(Environment.GetEnvironmentVariable).ToArray();
        Environment.SetEnvironmentVariable("DB_PORT", "6543");
        Environment.SetEnvironmentVariable("DB_DSN", null);
        Environment.SetEnvironmentVariable("DB_HOST", null);
        try
        {
            var options = DatabaseOptions.Load(ConfigurationSources.Build(WorkingDirectory));

            Connection(options).Port.Should().Be(6543);
        }
        finally
        {
            for (var i = 0; i < keys.Length; i++)
            {
                Environment.SetEnvironmentVariable(keys[i], before[i]);
            }
        }
    }

    [Test]
    public void A_dsn_in_the_dotenv_file_beats_parts_set_in_the_environment()
    {
        WriteDotEnv("DB_DSN=postgresql://dsn-user:secret@dsn-host:6001/dsn_db");

        var connection = Connection(Load(("DB_HOST", "env-host"), ("DB_PORT", "7000"), ("DB_DATABASE", "env_db")));

        connection.Host.Should().Be("dsn-host");
        connection.Port.Should().Be(6001);
        connection.Username.Should().Be("dsn-user");
        connection.Password.Should().Be("secret");
        connection.Database.Should().Be("dsn_db");
    }

    [Test]
    public void A_dsn_may_be_an_npgsql_connection_string()
    {
        var connection = Connection(Load(("DB_DSN", "Host=h;Port=6003;Username=u;Password=p;Database=d")));

        connection.Host.Should().Be("h");
        connection.Port.Should().Be(6003);
        connection.Database.Should().Be("d");
    }

    [Test]
    public void A_connection_is_waited_for_two_seconds_unless_configured_otherwise()
    {
        Connection(Load()).Timeout.Should().Be(2, "an exhausted pool answers 503 well before the 10 s request timeout");
        Connection(Load(("DB_CONNECT_TIMEOUT", "5"))).Timeout.Should().Be(5);
    }

    [TestCase("gino", "gino_test")]
    [TestCase("", "gino_demo_test")]
    [TestCase("already_test", "already_test")]
    public void Testing_appends_test_to_the_database(string database, string expected) =>
        Connection(Load(("TESTING", "true"), ("DB_DATABASE", database))).Database.Should().Be(expected);

    [Test]
    public void Testing_without_any_database_setting_uses_gino_demo_test() =>
        Connection(Load(("TESTING", "true"))).Database.Should().Be("gino_demo_test");

    [Test]
    public void Testing_never_uses_the_database_a_dsn_names()
    {
        var connection = Connection(Load(("TESTING", "1"), ("DB_DSN", "postgresql://u@h/production")));

        connection.Database.Should().Be("production_test");
    }

    [TestCase("true", true)]
    [TestCase("TRUE", true)]
    [TestCase("1", true)]
    [TestCase("False", false)]
    [TestCase("0", false)]
    public void Booleans_accept_true_false_1_and_0_in_any_case(string value, bool expected) =>
        Load(("DB_ECHO", value)).Echo.Should().Be(expected);

    [TestCase("require", SslMode.Require)]
    [TestCase("disable", SslMode.Disable)]
    [TestCase("verify-ca", SslMode.VerifyCA)]
    [TestCase("true", SslMode.Require)]
    public void Db_ssl_sets_the_ssl_mode(string value, SslMode expected) =>
        Connection(Load(("DB_SSL", value))).SslMode.Should().Be(expected);

    [TestCase("DB_PORT", "abc")]
    [TestCase("DB_PORT", "70000")]
    [TestCase("DB_POOL_MAX_SIZE", "0")]
    [TestCase("DB_RETRY_LIMIT", "many")]
    [TestCase("DB_CONNECT_TIMEOUT", "0")]
    [TestCase("DB_RETRY_INTERVAL", "-1")]
    [TestCase("DB_ECHO", "yes")]
    [TestCase("TESTING", "maybe")]
    [TestCase("DB_USE_CONNECTION_FOR_REQUEST", "2")]
    [TestCase("DB_SSL", "sometimes")]
    [TestCase("DB_SSL", "2")]
    [TestCase("DB_SSL", "verifyfull")]
    [TestCase("DB_HOST", "")]
    [TestCase("DB_USER", "")]
    [TestCase("DB_PORT", "")]
    [TestCase("DB_POOL_MAX_SIZE", "")]
    [TestCase("DB_ECHO", "")]
    [TestCase("DB_RETRY_INTERVAL", "99999999")]
    [TestCase("DB_DSN", "postgresql://u@h:0/d")]
    [TestCase("DB_DRIVER", "mysql")]
    [TestCase("DB_DSN", "postgresql://u@h/d?no_such_option=1")]
    [TestCase("DB_DSN", "Hots=typo")]
    public void A_malformed_value_is_reported_by_its_key(string key, string value)
    {
        var load = () => Load((key, value));

        load.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain(failure => failure.StartsWith(key + ": "));
    }

    [Test]
    public void A_pool_minimum_above_the_maximum_is_reported()
    {
        var load = () => Load(("DB_POOL_MIN_SIZE", "10"), ("DB_POOL_MAX_SIZE", "5"));

        load.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle()
            .Which.Should().Be("DB_POOL_MIN_SIZE: 10 is larger than DB_POOL_MAX_SIZE (5).");
    }

    [Test]
    public void Every_malformed_value_is_reported_at_once()
    {
        var load = () => Load(("DB_PORT", "x"), ("DB_ECHO", "x"));

        load.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(2);
    }

    [Test]
    public void The_displayed_dsn_masks_the_password()
    {
        var options = Load(("DB_USER", "fantix"), ("DB_PASSWORD", "s3cret!"), ("DB_HOST", "db"), ("DB_PORT", "5433"), ("DB_DATABASE", "gino"));

        options.DisplayDsn.Should().Be("postgresql://fantix:***@db:5433/gino");
    }

    [Test]
    public void A_malformed_dsn_is_reported_without_its_password()
    {
        var load = () => Load(("DB_DSN", "Host=h;Password=se;cr3t=x"));

        load.Should().Throw<OptionsValidationException>().Which.Message.Should().NotContain("cr3t").And.NotContain("se;");
    }

    [Test]
    public void Every_key_needs_a_value_from_somewhere()
    {
        var load = () => DatabaseOptions.Load(new ConfigurationBuilder().Build());

        string[] required = ["DB_DRIVER", "DB_HOST", "DB_PORT", "DB_USER", "DB_POOL_MIN_SIZE", "DB_POOL_MAX_SIZE", "DB_CONNECT_TIMEOUT", "DB_ECHO", "DB_USE_CONNECTION_FOR_REQUEST",
             "DB_RETRY_LIMIT", "DB_RETRY_INTERVAL", "TESTING"];

        load.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain(
            required.Select(key => $"{key}: is empty or missing; appsettings.json gives every key a default."));
    }

    [Test]
    public void An_unset_database_is_the_server_default_named_after_the_user() =>
        Connection(Load(("DB_DATABASE", ""))).Database.Should().BeNull();

    [Test]
    public void A_dotenv_line_that_is_not_a_setting_is_reported_with_its_number()
    {
        WriteDotEnv("# settings", "DB_HOST=h", "DB_PORT 5432");

        var load = () => Load();

        load.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(".env: not KEY=value at line 3.");
    }
}

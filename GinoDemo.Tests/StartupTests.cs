using System.Net;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests;

/// <summary>gino-starlette's startup and shutdown, checked on the real process with only environment variables and a .env file.</summary>
public sealed class StartupTests : ScratchDirectoryTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    [Test]
    public async Task Startup_gives_up_after_the_retry_limit_and_exits_non_zero()
    {
        var deadPort = ApiProcess.FreePort();
        await using var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>
        {
            ["DB_HOST"] = "127.0.0.1",
            ["DB_PORT"] = deadPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DB_USER"] = "fantix",
            ["DB_PASSWORD"] = "never-printed",
            ["DB_RETRY_LIMIT"] = "3",
            ["DB_RETRY_INTERVAL"] = "1",
        });

        var started = DateTime.UtcNow;
        var exitCode = await api.WaitForExitAsync(Patience);

        exitCode.Should().Be(1);
        (DateTime.UtcNow - started).Should().BeGreaterThan(TimeSpan.FromSeconds(2), "it waits DB_RETRY_INTERVAL between the 3 attempts");
        api.Output.Should().Contain($"Connecting to the database: postgresql://fantix:***@127.0.0.1:{deadPort}/gino_demo")
            .And.Contain("Cannot connect to the database; max retries reached.")
            .And.NotContain("never-printed");
        api.CountLines("Waiting for the database to start...").Should().Be(2, "the two failures before the last are each followed by a wait");
    }

    [Test]
    public async Task Startup_waits_for_a_database_that_appears_late_and_shuts_down_cleanly()
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.Options.ConnectionString);
        var latePort = ApiProcess.FreePort();
        // The DSN lives in .env and must beat the DB_HOST set in the environment.
        WriteDotEnv(
            $"DB_DSN=postgresql://{Uri.EscapeDataString(server.Username!)}:{Uri.EscapeDataString(server.Password ?? "")}@127.0.0.1:{latePort}/{server.Database}");
        await using var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>
        {
            ["DB_HOST"] = "unreachable.invalid",
            ["DB_RETRY_LIMIT"] = "30",
            ["DB_RETRY_INTERVAL"] = "1",
        });
        await api.WaitForOutputAsync("Waiting for the database to start...", Patience);

        await using var database = new TcpForwarder(latePort, server.Host!, server.Port);
        database.Start();

        await api.WaitForOutputAsync("Now listening on", Patience);
        api.Output.Should().Contain("Database connection pool created");
        using (var client = api.CreateClient())
        {
            (await client.GetAsync($"/users/{long.MaxValue}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the API reads the database through the late port");
        }

        api.Terminate();
        (await api.WaitForExitAsync(Patience)).Should().Be(0);
        api.Output.Should().Contain("Closing database connection").And.Contain("Closed database connection");
        if (!string.IsNullOrEmpty(server.Password))
        {
            api.Output.Should().NotContain(server.Password);
        }
    }

    [Test]
    public async Task Startup_refuses_malformed_settings_and_names_each_key()
    {
        WriteDotEnv("DB_POOL_MIN_SIZE=5", "DB_POOL_MAX_SIZE=2", "a line that is not a setting");
        await using var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>
        {
            ["DB_PORT"] = "abc",
            ["DB_ECHO"] = "yes",
        });

        (await api.WaitForExitAsync(Patience)).Should().Be(2);
        api.Output.Should().Contain("DB_PORT: 'abc' is not a whole number.")
            .And.Contain("DB_ECHO: 'yes' is not a boolean")
            .And.Contain("DB_POOL_MIN_SIZE: 5 is larger than DB_POOL_MAX_SIZE (2).")
            .And.Contain(".env: not KEY=value at line 3.")
            .And.NotContain("   at ", "a settings mistake is not a crash: no stack trace");
    }

    [Test]
    public async Task Startup_refuses_malformed_server_settings_and_names_each_key()
    {
        await using var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>(TestDatabase.ApiEnvironment)
        {
            // The binder stops at a section's first value that does not parse: one per section here, but for Kestrel's,
            // whose values are each checked on their own (a type error, and a value Kestrel itself refuses).
            ["Server__RequestTimeout"] = "soon",
            ["Kestrel__Limits__MaxRequestBodySize"] = "big",
            ["Kestrel__Limits__MaxRequestHeaderCount"] = "0",
            ["RateLimiting__Burst"] = "0",
            ["ForwardedHeaders__KnownProxies__0"] = "proxy.internal",
            ["Cors__AllowedOrigins__0"] = "*",
            ["OpenApi__Enabled"] = "maybe",
            ["Idempotency__KeyLifetime"] = "00:00:00",
            ["DB_ECHO"] = "yes",
        });

        (await api.WaitForExitAsync(Patience)).Should().Be(2);
        api.Output.Should().Contain("'soon' at 'Server:RequestTimeout'")
            .And.Contain("'big' at 'Kestrel:Limits:MaxRequestBodySize'").And.Contain("Burst must be between 1 and 1000000").And.Contain("'proxy.internal' is not an IP address")
            .And.Contain("'*' is not an origin").And.Contain("'maybe' at 'OpenApi:Enabled'")
            .And.Contain("KeyLifetime must be between").And.Contain("DB_ECHO: 'yes' is not a boolean")
            .And.Contain("Kestrel:Limits:MaxRequestHeaderCount: '0' is not allowed")
            .And.NotContain("   at ", "a settings mistake is not a crash: no stack trace")
            .And.NotContain("Connecting to the database", "settings are checked before anything starts");
    }

    [Test]
    public async Task A_stop_signal_while_waiting_for_the_database_ends_the_wait_at_once()
    {
        await using var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>
        {
            ["DB_PORT"] = ApiProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DB_RETRY_LIMIT"] = "100",
            ["DB_RETRY_INTERVAL"] = "1",
        });
        await api.WaitForOutputAsync("Waiting for the database to start...", Patience);

        api.Terminate();

        (await api.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().Be(0);
        api.Output.Should().Contain("Stopped while waiting for the database.").And.NotContain("max retries reached");
    }

    [Test]
    public async Task Startup_on_a_taken_port_exits_3_without_a_crash()
    {
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var takenPort = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>
        {
            ["DB_DSN"] = TestDatabase.Options.ConnectionString,
        }, takenPort);

        (await api.WaitForExitAsync(Patience)).Should().Be(3);
        // One JSON line per entry: connecting, the pool, and the key line; StartupMistakeTests has the readable format.
        api.Output.Should().Contain($"Cannot listen: Failed to bind to address http://127.0.0.1:{takenPort}: address already in use.")
            .And.NotContain("Exception").And.NotContain("Unhandled");
        api.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(3, api.Output);
    }
}

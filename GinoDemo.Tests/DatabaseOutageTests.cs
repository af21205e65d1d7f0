using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using GinoDemo.Data.Connections;
using GinoDemo.Tests.Infrastructure;
using Npgsql;
using static GinoDemo.Data.Connections.RetryWhatDidNotRunExecutionStrategy;

namespace GinoDemo.Tests;

/// <summary>
/// The transient-error strategy: a database that goes away answers 503 quickly, readiness follows it, liveness
/// does not, the API recovers by itself, and a write is never sent twice.
/// </summary>
public sealed class DatabaseOutageTests : DatabaseTest
{
    [Test]
    public async Task During_an_outage_the_API_answers_503_and_recovers_by_itself_when_the_database_returns()
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.Options.ConnectionString);
        var port = ApiProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["DB_DSN"] = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Host = "127.0.0.1", Port = port }.ConnectionString,
        };
        var directory = Directory.CreateTempSubdirectory("gino-test-").FullName;
        // Deleted even when an assertion fails; the API process, declared inside, has stopped by then.
        try
        {
            var database = new TcpForwarder(port, server.Host!, server.Port);
            database.Start();
            await using var api = ApiProcess.Start(directory, environment);
            await api.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(60));
            using var client = api.CreateClient();
            var stored = await client.CreateUserAsync("before");

            await database.DisposeAsync();
            var clock = Stopwatch.StartNew();
            using (var read = await client.GetAsync($"/users/{stored}"))
            {
                await read.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
                read.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
            }

            (await client.PostAsJsonAsync("/users", new { name = "during" })).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            await (await client.GetAsync("/healthz/ready")).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
            (await client.GetAsync("/healthz/live")).StatusCode.Should().Be(HttpStatusCode.OK, "the process is fine: restarting it would not help");
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "an outage is answered quickly, not after timeouts");

            await using (var restarted = new TcpForwarder(port, server.Host!, server.Port))
            {
                restarted.Start();
                var recovery = Stopwatch.StartNew();
                while ((await client.GetAsync("/healthz/ready")).StatusCode != HttpStatusCode.OK)
                {
                    recovery.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "readiness returns within 5 s of the database");
                    await Task.Delay(100);
                }

                (await client.GetAsync($"/users/{stored}")).StatusCode.Should().Be(HttpStatusCode.OK);
                await client.CreateUserAsync("after");
            }

            (await TestDatabase.CountAsync("SELECT count(*) FROM users")).Should().Be(2, "the write refused during the outage stored nothing");
            api.Output.Should().NotContain("Unhandled exception");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task A_write_whose_connection_drops_mid_statement_is_not_retried_and_stores_nothing()
    {
        using var client = TestDatabase.Api.CreateClient();
        HttpResponseMessage response;
        await using (await TableLock.AcquireAsync())
        {
            var post = client.PostAsJsonAsync("/users", new { name = "cut off" });
            await TableLock.WaitForWaitersAsync(1);
            await TestDatabase.ExecuteAsync(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
            response = await post;
        }

        await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        (await TestDatabase.CountAsync("SELECT count(*) FROM users")).Should().Be(0, "the INSERT was not sent a second time");
        await client.CreateUserAsync("next");
        (await TestDatabase.CountAsync("SELECT count(*) FROM users")).Should().Be(1);
    }

    [Test]
    public async Task Only_failures_that_prove_nothing_ran_count_as_safe_to_retry()
    {
        var refused = await CatchAsync(async () =>
        {
            var dead = new NpgsqlConnectionStringBuilder(TestDatabase.Options.ConnectionString) { Port = ApiProcess.FreePort(), Pooling = false };
            await using var connection = new NpgsqlConnection(dead.ConnectionString);
            await connection.OpenAsync();
        });
        var cutOff = await CatchAsync(async () =>
        {
            await using var connection = await TestDatabase.DataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(pg_backend_pid())", connection);
            await command.ExecuteNonQueryAsync();
        });
        var idleTimeout = await CatchAsync(() => RunAfterIdlingAsync("SET idle_session_timeout = '100ms'"));
        var idleInTransactionTimeout = await CatchAsync(() => RunAfterIdlingAsync("SET idle_in_transaction_session_timeout = '100ms'; BEGIN"));
        var stalePlan = await CatchAsync(async () =>
        {
            await using var dataSource = Unpooled();
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var create = new NpgsqlCommand("CREATE TEMP TABLE t (a int)", connection);
            await create.ExecuteNonQueryAsync();
            await using var select = new NpgsqlCommand("SELECT a FROM t", connection);
            await select.PrepareAsync();
            await select.ExecuteNonQueryAsync();
            await using var alter = new NpgsqlCommand("ALTER TABLE t ALTER COLUMN a TYPE bigint", connection);
            await alter.ExecuteNonQueryAsync();
            await select.ExecuteNonQueryAsync();
        });
        // Another feature_not_supported (0A000), raised by the parser: not a stale plan, and it would fail again.
        var otherFeatureNotSupported = await CatchAsync(async () =>
        {
            await using var command = TestDatabase.DataSource.CreateCommand("SELECT count(*) FROM users GROUP BY id FOR UPDATE");
            await command.ExecuteNonQueryAsync();
        });

        var server = new NpgsqlConnectionStringBuilder(TestDatabase.Options.ConnectionString);
        var port = ApiProcess.FreePort();
        var network = new TcpForwarder(port, server.Host!, server.Port);
        network.Start();
        var dropped = await CatchAsync(async () =>
        {
            var through = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Host = "127.0.0.1", Port = port, Pooling = false };
            await using var connection = new NpgsqlConnection(through.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_sleep(10)", connection);
            var sleeping = command.ExecuteNonQueryAsync();
            await Task.Delay(300);
            await network.DisposeAsync();
            await sleeping;
        });

        Classify(refused).Should().Be(NotRunFailure.Connect, refused.ToString());
        Classify(idleTimeout).Should().Be(NotRunFailure.SessionClosedWhileIdle, idleTimeout.ToString());
        ((PostgresException)idleTimeout).SqlState.Should().Be("57P05", "idle_session_timeout (PostgreSQL, Appendix A)");
        Classify(idleInTransactionTimeout).Should().Be(NotRunFailure.SessionClosedWhileIdle, idleInTransactionTimeout.ToString());
        ((PostgresException)idleInTransactionTimeout).SqlState.Should().Be("25P03", "idle_in_transaction_session_timeout (PostgreSQL, Appendix A)");
        Classify(stalePlan).Should().Be(NotRunFailure.StalePreparedStatement, stalePlan.ToString());
        ((PostgresException)stalePlan).Routine.Should().Be("RevalidateCachedQuery", "plancache.c raises it there, before executing");
        ((PostgresException)otherFeatureNotSupported).SqlState.Should().Be("0A000");
        Classify(otherFeatureNotSupported).Should().Be(NotRunFailure.None, otherFeatureNotSupported.ToString());
        Classify(cutOff).Should().Be(NotRunFailure.None, cutOff.ToString());
        ((PostgresException)cutOff).SqlState.Should().Be("57P01", "admin_shutdown, which PostgreSQL also raises after a COMMIT has run");
        Classify(dropped).Should().Be(NotRunFailure.None, dropped.ToString());
        dropped.InnerException.Should().BeAssignableTo<IOException>("a connection lost mid-statement surfaces as an I/O failure");
    }

    private static NpgsqlDataSource Unpooled() =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(TestDatabase.Options.ConnectionString) { Pooling = false });

    /// <summary>Sets a session's idle timeout, idles past it, then sends a statement, which meets the closed session.</summary>
    private static async Task RunAfterIdlingAsync(string setUp)
    {
        await using var dataSource = Unpooled();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var command = new NpgsqlCommand(setUp, connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        await Task.Delay(500);
        await using var select = new NpgsqlCommand("SELECT 1", connection);
        await select.ExecuteNonQueryAsync();
    }

    private static async Task<Exception> CatchAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (NpgsqlException e)
        {
            return e;
        }

        throw new AssertionException("the action should have failed");
    }
}

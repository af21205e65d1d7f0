using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GinoDemo.Tests;

/// <summary>
/// Pooled connections the server closed while they sat idle. With <c>idle_session_timeout</c> the server says so
/// (57P05) before it reads anything more, so the request is retried on a fresh connection, writes too. An operator's
/// <c>pg_terminate_backend</c> (57P01) is not retried: PostgreSQL raises the same error after a COMMIT has run.
/// Each test has a database of its own, so its ALTER DATABASE settings die with it.
/// </summary>
public sealed class ClosedIdleConnectionTests
{
    private const int WarmConnections = 10;
    private static readonly TimeSpan IdleSessionTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PastTheTimeout = TimeSpan.FromSeconds(3);

    [Test]
    public async Task After_the_server_closed_every_idle_connection_each_request_is_answered_on_a_fresh_one()
    {
        await using var database = await MigratedScratchDatabaseAsync();
        await RunEveryRequestOnceAsync(database);
        // As an operator would: the limit, then the API restarted; sessions opened from now on have the limit.
        await TestDatabase.ExecuteAsync($"ALTER DATABASE {database.Name} SET idle_session_timeout = '{IdleSessionTimeout.TotalSeconds}s'");
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["DB_DSN"] = database.Dsn });
        using var client = api.CreateClient();
        var kept = await client.CreateUserAsync("kept");
        await WarmConnectionsAsync(client, database, kept);

        await Task.Delay(PastTheTimeout);
        (await ApiSessionsAsync(database)).Should().Be(0, "the server closed every idle session of the API");
        (await client.GetAsync($"/users/{kept}")).StatusCode.Should().Be(HttpStatusCode.OK);

        await Task.Delay(PastTheTimeout);
        using (var created = await client.PostAsJsonAsync("/users", new { name = "after the timeout" }))
        {
            created.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        (await database.CountAsync("SELECT count(*) FROM users WHERE nickname = 'after the timeout'")).Should().Be(1, "the INSERT ran exactly once");

        await Task.Delay(PastTheTimeout);
        (await client.PatchAsJsonAsync($"/users/{kept}", new { name = "renamed" })).StatusCode.Should().Be(HttpStatusCode.OK);

        await Task.Delay(PastTheTimeout);
        using (var keyed = await client.SendAsync(HttpMethod.Post, "/users", """{"name":"keyed"}""", ("Idempotency-Key", "idle-1")))
        {
            keyed.StatusCode.Should().Be(HttpStatusCode.Created, "a transaction is run again as a whole");
        }

        await Task.Delay(PastTheTimeout);
        (await client.DeleteAsync($"/users/{kept}")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await database.CountAsync("SELECT count(*) FROM users")).Should().Be(2, "one row each for the plain and the keyed create; the kept user is deleted");
        api.Logs.Messages.Count(message => message.Contains("57P05", StringComparison.Ordinal))
            .Should().BeGreaterThanOrEqualTo(5, "each request met a connection the server had closed, and was retried");
    }

    /// <summary>
    /// 57P01 ("terminating connection due to administrator command") comes at whatever point the backend next checks
    /// for interrupts: while idle, but also right after it has executed a COMMIT and read the Sync that follows
    /// (postgres.c checks for interrupts after reading every message). So the error does not prove that nothing ran,
    /// and the request is answered 503, not retried. Npgsql then clears the pool, so the requests after it get fresh
    /// connections: one 503, not one per dead connection.
    /// </summary>
    [Test]
    public async Task Idle_sessions_an_operator_terminated_cost_one_503_and_nothing_is_retried()
    {
        await using var database = await MigratedScratchDatabaseAsync();
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["DB_DSN"] = database.Dsn });
        using var client = api.CreateClient();
        var kept = await client.CreateUserAsync("kept");
        await WarmConnectionsAsync(client, database, kept);

        await TestDatabase.ExecuteAsync(
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database.Name}' AND application_name = 'gino-demo' AND state = 'idle'",
            database.DataSource);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await ApiSessionsAsync(database) > 0)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "terminated sessions end");
            await Task.Delay(50);
        }

        using (var refused = await client.PostAsJsonAsync("/users", new { name = "met a terminated session" }))
        {
            await refused.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
            refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        }

        for (var i = 0; i < WarmConnections; i++)
        {
            (await client.GetAsync($"/users/{kept}")).StatusCode.Should().Be(HttpStatusCode.OK, "the pool dropped the other dead connections");
        }

        (await client.PostAsJsonAsync("/users", new { name = "next" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await database.CountAsync("SELECT count(*) FROM users WHERE nickname = 'met a terminated session'")).Should().Be(0, "it was not sent again");
    }

    private static async Task<ScratchDatabase> MigratedScratchDatabaseAsync()
    {
        var database = new ScratchDatabase();
        await using var db = database.CreateDbContext();
        await db.Database.MigrateAsync();
        return database;
    }

    /// <summary>
    /// Every kind of request once on an API of its own, stopped afterwards: the first request of each kind compiles
    /// code (EF Core's queries, the controllers), which on a busy machine can outlast the idle limit between two
    /// requests of the test itself.
    /// </summary>
    private static async Task RunEveryRequestOnceAsync(ScratchDatabase database)
    {
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["DB_DSN"] = database.Dsn });
        using var client = api.CreateClient();
        var id = await client.CreateUserAsync("warm-up");
        (await client.GetAsync($"/users/{id}")).EnsureSuccessStatusCode();
        (await client.PatchAsJsonAsync($"/users/{id}", new { name = "warm-up" })).EnsureSuccessStatusCode();
        (await client.SendAsync(HttpMethod.Post, "/users", """{"name":"warm-up"}""", ("Idempotency-Key", "warm-up"))).EnsureSuccessStatusCode();
        (await client.DeleteAsync($"/users/{id}")).EnsureSuccessStatusCode();
        await TestDatabase.ExecuteAsync("TRUNCATE users, idempotency_keys", database.DataSource);
    }

    /// <summary>
    /// <see cref="WarmConnections"/> GETs held by a table lock at once, so that each has a pooled connection of its
    /// own; all of them are idle in the pool afterwards.
    /// </summary>
    private static async Task WarmConnectionsAsync(HttpClient client, ScratchDatabase database, long id)
    {
        Task<HttpResponseMessage>[] reads;
        await using (await TableLock.AcquireAsync(database.DataSource))
        {
            reads = [.. Enumerable.Range(0, WarmConnections).Select(_ => client.GetAsync($"/users/{id}"))];
            await TableLock.WaitForWaitersAsync(WarmConnections, database.DataSource);
        }

        (await Task.WhenAll(reads)).Should().OnlyContain(read => read.StatusCode == HttpStatusCode.OK);
        (await ApiSessionsAsync(database)).Should().BeGreaterThanOrEqualTo(WarmConnections);
    }

    private static Task<long> ApiSessionsAsync(ScratchDatabase database) =>
        database.CountAsync(
            $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database.Name}' AND application_name = 'gino-demo' AND pid <> pg_backend_pid()");
}

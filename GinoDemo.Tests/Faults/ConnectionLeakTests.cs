using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Faults;

/// <summary>
/// Scenario 5: a thousand requests that end badly (400, 404, 500, 503, 504, clients hanging up) leave every pooled
/// connection returned: none is left busy in PostgreSQL, and the whole pool can still be used at once.
/// </summary>
public sealed class ConnectionLeakTests : FaultTest
{
    private const int PoolSize = 4;
    private const int Parallel = 8;

    [Test]
    public async Task After_a_thousand_failed_requests_every_connection_is_back_in_the_pool_and_the_API_serves()
    {
        await using var api = await StartServingAsync(new Dictionary<string, string>
        {
            ["DB_POOL_MAX_SIZE"] = PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Server__RequestTimeout"] = "00:00:01",
        });
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        var id = await ApiTest.CreateUserAsync(client, "kept");
        var outcomes = new List<TimedAnswer>();

        outcomes.AddRange(await SendAsync(250, i => (i % 4) switch
        {
            0 => cancellation => client.PostAsync("/users", new StringContent("{\"name\":", Encoding.UTF8, "application/json"), cancellation),
            1 => cancellation => client.PostAsJsonAsync("/users", new { name = new string('x', 300) }, cancellation),
            2 => cancellation => client.GetAsync("/users/abc", cancellation),
            _ => cancellation => client.PatchAsJsonAsync($"/users/{id}", new { name = 42 }, cancellation),
        }));
        outcomes.AddRange(await SendAsync(250, i => (i % 3) switch
        {
            0 => cancellation => client.GetAsync($"/users/{id + 1 + i}", cancellation),
            1 => cancellation => client.DeleteAsync($"/users/{id + 1 + i}", cancellation),
            _ => cancellation => client.PatchAsJsonAsync($"/users/{id + 1 + i}", new { name = "nobody" }, cancellation),
        }));

        // 500: the table is gone from under the API, an error no retry or 503 covers.
        await ExecuteAsync("ALTER TABLE users RENAME TO users_hidden");
        outcomes.AddRange(await SendAsync(150, i => (i % 3) switch
        {
            0 => cancellation => client.GetAsync($"/users/{id}", cancellation),
            1 => cancellation => client.PostAsJsonAsync("/users", new { name = "no table" }, cancellation),
            _ => cancellation => client.GetAsync("/users", cancellation),
        }));
        await ExecuteAsync("ALTER TABLE users_hidden RENAME TO users");

        // 503: the API's sessions are killed while it uses them, as by an administrator or a failover.
        using (var killing = new CancellationTokenSource())
        {
            var killer = KillApiSessionsAsync(killing.Token);
            outcomes.AddRange(await SendAsync(150, _ => cancellation => client.GetAsync($"/users/{id}", cancellation)));
            await killing.CancelAsync();
            await killer;
        }

        // A connection killed after its last use is found dead by the next request, which answers 503 and clears
        // the pool: done here, so that the lock phase below counts only its own answers.
        while ((await TimeAsync(cancellation => client.GetAsync($"/users/{id}", cancellation))).Status != 200)
        {
        }

        await using (await TableLock.AcquireAsync(DataSource))
        {
            // 504: stuck behind the lock past the request timeout.
            outcomes.AddRange(await SendAsync(40, _ => cancellation => client.GetAsync($"/users/{id}", cancellation), parallel: 20));

            // Clients that hang up while their request waits in the database.
            outcomes.AddRange(await SendAsync(100, _ => async cancellation =>
            {
                using var impatient = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                impatient.CancelAfter(TimeSpan.FromMilliseconds(200));
                return await client.GetAsync($"/users/{id}", impatient.Token);
            }, parallel: 20));
        }

        // Clients that hang up half-way through sending a body.
        for (var i = 0; i < 60; i++)
        {
            await SendHalfABodyAndHangUpAsync(api.Port);
            outcomes.Add(new TimedAnswer(0, TimeSpan.Zero, false));
        }

        var busyAfter = await WaitForNoBusyApiSessionAsync(TimeSpan.FromSeconds(3));
        var sessions = await CountAsync(
            $"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{Data.Configuration.DatabaseOptions.ApplicationName}'");
        var usableAtOnce = await CountConnectionsUsableAtOnceAsync(client, id);
        using var after = await client.PostAsJsonAsync("/users", new { name = "after the abuse" });

        int Count(int status) => outcomes.Count(outcome => outcome.Status == status);
        FaultReport.Add($"5. Leaks: {outcomes.Count} failed requests, DB_POOL_MAX_SIZE={PoolSize}",
            ("400 (malformed body, too long, bad id, wrong type)", Count(400)),
            ("404 (GET, DELETE, PATCH of missing users)", Count(404)),
            ("500 (table renamed away)", Count(500)),
            ("503 (sessions killed mid-request) / 200 between kills", $"{Count(503)} / {Count(200)}"),
            ("504 (request timeout behind a lock)", Count(504)),
            ("client hang-ups (waiting on a lock; half a body sent)", Count(0)),
            ("the API's sessions busy afterwards", busyAfter),
            ("the API's sessions open afterwards", sessions),
            ("pooled connections usable at once afterwards", $"{usableAtOnce} of {PoolSize}"),
            ("next write", (int)after.StatusCode));
        outcomes.Should().HaveCount(1000);
        Count(400).Should().Be(250);
        Count(404).Should().Be(250);
        Count(500).Should().Be(150);
        Count(503).Should().BePositive();
        (Count(503) + Count(200)).Should().Be(150);
        Count(504).Should().Be(40);
        Count(0).Should().Be(160);
        outcomes.Where(outcome => outcome.Status >= 400).Should().OnlyContain(outcome => outcome.IsProblem);
        busyAfter.Should().Be(0, "no connection is left in a statement or a transaction");
        sessions.Should().BeLessThanOrEqualTo(PoolSize);
        usableAtOnce.Should().Be(PoolSize, "every connection was returned to the pool");
        after.StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        api.Output.Should().NotContain("Unhandled exception");
    }

    /// <summary>Runs <paramref name="count"/> requests, <paramref name="parallel"/> at a time.</summary>
    private static async Task<List<TimedAnswer>> SendAsync(
        int count, Func<int, Func<CancellationToken, Task<HttpResponseMessage>>> request, int parallel = Parallel)
    {
        var answers = new List<TimedAnswer>();
        for (var start = 0; start < count; start += parallel)
        {
            answers.AddRange(await Task.WhenAll(Enumerable.Range(start, Math.Min(parallel, count - start)).Select(i => TimeAsync(request(i)))));
        }

        return answers;
    }

    private async Task KillApiSessionsAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() " +
                $"AND application_name = '{Data.Configuration.DatabaseOptions.ApplicationName}'");
            await Task.Delay(20, CancellationToken.None);
        }
    }

    private static async Task SendHalfABodyAndHangUpAsync(int port)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\": \"half"));
        await stream.FlushAsync();
        await Task.Delay(10);
    }

    /// <summary>
    /// Holds the table and sends one read per pooled connection: each reaches PostgreSQL (and waits there) only if it
    /// got a connection, so the count of waiting statements is the count of connections the pool could hand out.
    /// </summary>
    private async Task<long> CountConnectionsUsableAtOnceAsync(HttpClient client, long id)
    {
        Task<HttpResponseMessage>[] reads;
        long waiting = 0;
        await using (await TableLock.AcquireAsync(DataSource))
        {
            reads = [.. Enumerable.Range(0, PoolSize).Select(_ => client.GetAsync($"/users/{id}"))];
            var deadline = DateTime.UtcNow.AddMilliseconds(800); // inside the 1 s request timeout
            while (DateTime.UtcNow < deadline && (waiting = await TableLock.CountWaitingAsync(DataSource)) < PoolSize)
            {
                await Task.Delay(20);
            }
        }

        foreach (var read in await Task.WhenAll(reads))
        {
            read.Dispose();
        }

        return waiting;
    }
}

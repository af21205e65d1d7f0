using System.Net.Http.Json;
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
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    [Test]
    public async Task After_a_thousand_failed_requests_every_connection_is_back_in_the_pool_and_the_API_serves()
    {
        await using var api = await StartServingAsync(new Dictionary<string, string>
        {
            ["DB_POOL_MAX_SIZE"] = PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Server__RequestTimeout"] = RequestTimeout.ToString(),
            // Longer than the request timeout: a request queued for a connection behind the lock ends in 504 too.
            ["DB_CONNECT_TIMEOUT"] = "5",
        });
        using var client = api.CreateClient();
        await WarmUpAsync(client);
        var id = await client.CreateUserAsync("kept");
        long hungUpLeft;

        var malformed = await SendAsync(250, i => (i % 4) switch
        {
            0 => cancellation => client.PostAsync("/users", new StringContent("{\"name\":", Encoding.UTF8, "application/json"), cancellation),
            1 => cancellation => client.PostAsJsonAsync("/users", new { name = new string('x', 300) }, cancellation),
            2 => cancellation => client.GetAsync("/users/abc", cancellation),
            _ => cancellation => client.PatchAsJsonAsync($"/users/{id}", new { name = 42 }, cancellation),
        });
        var missing = await SendAsync(250, i => (i % 3) switch
        {
            0 => cancellation => client.GetAsync($"/users/{id + 1 + i}", cancellation),
            1 => cancellation => client.DeleteAsync($"/users/{id + 1 + i}", cancellation),
            _ => cancellation => client.PatchAsJsonAsync($"/users/{id + 1 + i}", new { name = "nobody" }, cancellation),
        });

        // 500: the table is gone from under the API, an error no retry or 503 covers.
        await ExecuteAsync("ALTER TABLE users RENAME TO users_hidden");
        var tableGone = await SendAsync(150, i => (i % 3) switch
        {
            0 => cancellation => client.GetAsync($"/users/{id}", cancellation),
            1 => cancellation => client.PostAsJsonAsync("/users", new { name = "no table" }, cancellation),
            _ => cancellation => client.GetAsync("/users", cancellation),
        });
        await ExecuteAsync("ALTER TABLE users_hidden RENAME TO users");

        // 503: the API's sessions are killed while it uses them, as by an administrator or a failover.
        List<TimedAnswer> killed;
        using (var killing = new CancellationTokenSource())
        {
            var killer = KillApiSessionsAsync(killing.Token);
            killed = await SendAsync(150, _ => cancellation => client.GetAsync($"/users/{id}", cancellation));
            await killing.CancelAsync();
            await killer;
        }

        // A connection killed after its last use is found dead by the next request, which answers 503 and clears
        // the pool: done here, so that the lock phase below counts only its own answers.
        var settled = DateTime.UtcNow + Patience;
        while ((await TimeAsync(cancellation => client.GetAsync($"/users/{id}", cancellation))).Status != 200)
        {
            DateTime.UtcNow.Should().BeBefore(settled, "the API serves again once its sessions are no longer killed");
            await Task.Delay(50);
        }

        List<TimedAnswer> stuck, hungUp;
        await using (await TableLock.AcquireAsync(DataSource))
        {
            // 504: stuck behind the lock past the request timeout.
            stuck = await SendAsync(40, _ => cancellation => client.GetAsync($"/users/{id}", cancellation), parallel: 20);

            // Clients that hang up while their read or write waits in the database (or for a connection).
            hungUp = await SendAsync(160, i => async cancellation =>
            {
                using var impatient = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                impatient.CancelAfter(TimeSpan.FromMilliseconds(200));
                return (i % 3) switch
                {
                    0 => await client.GetAsync($"/users/{id}", impatient.Token),
                    1 => await client.PostAsJsonAsync("/users", new { name = "hung up" }, impatient.Token),
                    _ => await client.PatchAsJsonAsync($"/users/{id}", new { name = "hung up" }, impatient.Token),
                };
            }, parallel: 20);
            hungUpLeft = await WaitForNoBusyApiSessionAsync(TimeSpan.FromSeconds(3));
        }

        var busyAfter = await WaitForNoBusyApiSessionAsync(TimeSpan.FromSeconds(3));
        var sessions = await CountAsync(
            $"SELECT count(*) FROM {ApiSessions}");
        var usableAtOnce = await CountConnectionsUsableAtOnceAsync(client, id);
        var hungUpStored = await CountAsync("SELECT count(*) FROM users WHERE nickname = 'hung up'");
        using var after = await client.PostAsJsonAsync("/users", new { name = "after the abuse" });

        List<TimedAnswer> all = [.. malformed, .. missing, .. tableGone, .. killed, .. stuck, .. hungUp];
        static int Count(List<TimedAnswer> answers, int status) => answers.Count(answer => answer.Status == status);
        FaultReport.Add($"5. Leaks: {all.Count} failed requests, DB_POOL_MAX_SIZE={PoolSize}, Server:RequestTimeout={RequestTimeout.TotalSeconds:0} s",
            ("400 (malformed body, too long, bad id, wrong type)", $"{Count(malformed, 400)} of {malformed.Count}"),
            ("404 (GET, DELETE, PATCH of missing users)", $"{Count(missing, 404)} of {missing.Count}"),
            ("500 (table renamed away)", $"{Count(tableGone, 500)} of {tableGone.Count}"),
            ("503 / 200 (sessions killed while in use)", $"{Count(killed, 503)} / {Count(killed, 200)} of {killed.Count}"),
            ("504 (request timeout behind a lock)", $"{Count(stuck, 504)} of {stuck.Count}"),
            ("client hang-ups while their GET, POST or PATCH waited on a lock", $"{Count(hungUp, 0)} of {hungUp.Count}"),
            ("statements of hung-up requests still waiting (lock still held)", hungUpLeft),
            ("writes of hung-up requests stored", hungUpStored),
            ("the API's sessions busy afterwards", busyAfter),
            ("the API's sessions open afterwards", sessions),
            ("pooled connections usable at once afterwards", $"{usableAtOnce} of {PoolSize}"),
            ("next write", (int)after.StatusCode));
        all.Should().HaveCount(1000);
        malformed.Should().OnlyContain(answer => answer.Status == 400);
        missing.Should().OnlyContain(answer => answer.Status == 404);
        tableGone.Should().OnlyContain(answer => answer.Status == 500);
        killed.Should().OnlyContain(answer => answer.Status == 200 || answer.Status == 503).And.Contain(answer => answer.Status == 503);
        stuck.Should().OnlyContain(answer => answer.Status == 504);
        hungUp.Should().OnlyContain(answer => answer.Status == 0);
        all.Where(answer => answer.Status >= 400).Should().OnlyContain(answer => answer.IsProblem);
        hungUpLeft.Should().Be(0, "a client hanging up cancels its statement in PostgreSQL");
        hungUpStored.Should().Be(0, "the cancelled writes were rolled back");
        busyAfter.Should().Be(0, "no connection is left in a statement or a transaction");
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
            await ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM {ApiSessions}");
            await Task.Delay(20, CancellationToken.None);
        }
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
            var deadline = DateTime.UtcNow + RequestTimeout - TimeSpan.FromMilliseconds(200);
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

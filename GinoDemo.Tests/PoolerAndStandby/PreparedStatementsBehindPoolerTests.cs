using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GinoDemo.Tests.PoolerAndStandby;

/// <summary>
/// Server-prepared statements and PgBouncer 1.18 in transaction mode: the wrong combination stops the start with one
/// line naming <c>DB_SERVER_PREPARED_STATEMENTS</c>, or (met later by a request) answers 503 and makes the instance
/// unready with that line, never 500; with the setting off two replicas answer every request through the pooler, with
/// the per-request connection (<c>DB_USE_CONNECTION_FOR_REQUEST</c>, the default) on.
/// </summary>
public sealed class PreparedStatementsBehindPoolerTests : PoolerAndStandbyTest
{
    private static string TransactionPool => PoolerAndStandbySuite.Bouncer.ConnectionString(PgBouncerPools.TransactionPool);

    [Test]
    public async Task Prepared_statements_through_a_transaction_pooler_stop_the_start_with_one_line_naming_the_setting()
    {
        await using var api = StartProcess(Settings(TransactionPool));

        (await api.WaitForExitAsync(Patience)).Should().Be(2, api.Output);
        StartupOutput.ShouldSayOnlyWhatToDo(api.Output,
            "The settings do not fit the database; not starting: DB_SERVER_PREPARED_STATEMENTS is on, but DB_DSN reaches a pooler in "
            + "transaction mode that cannot keep server-prepared statements (42P05/26000; PgBouncer before 1.21): set DB_SERVER_PREPARED_STATEMENTS=false.",
            maxLines: 6);
    }

    [Test]
    public async Task Without_prepared_statements_two_replicas_answer_every_request_through_the_pooler()
    {
        var settings = Settings(TransactionPool);
        settings["DB_SERVER_PREPARED_STATEMENTS"] = "false";
        await using var first = StartProcess(settings);
        await using var second = StartProcess(settings);
        await first.WaitForOutputAsync("Now listening on", Patience);
        await second.WaitForOutputAsync("Now listening on", Patience);
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();
        HttpClient[] replicas = [firstClient, secondClient];

        // Each worker creates its user on one replica, then reads, lists and renames it (If-Match) through both.
        var statuses = new ConcurrentBag<HttpStatusCode>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            using var created = await replicas[worker % 2].PostAsJsonAsync("/users", new { name = $"pooled {worker}" });
            statuses.Add(created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<UserBody>())!.Id;
            for (var i = 0; i < 25; i++)
            {
                var client = replicas[(worker + i) % 2];
                using var read = await client.GetAsync($"/users/{id}");
                using var page = await client.GetAsync("/users?limit=5");
                using var renamed = await client.SendAsync(HttpMethod.Patch, $"/users/{id}", $$"""{"name": "pooled {{worker}} {{i}}"}""",
                    ("If-Match", ETags.Of(read) ?? "\"0\""));
                statuses.Add(read.StatusCode);
                statuses.Add(page.StatusCode);
                statuses.Add(renamed.StatusCode);
            }
        }));

        statuses.Should().HaveCount(8 * 76).And.OnlyContain(status => status == HttpStatusCode.OK || status == HttpStatusCode.Created,
            "through the pooler every request is answered ({0}): {1}",
            string.Join(", ", statuses.GroupBy(status => status).Select(group => $"{group.Count()} x {(int)group.Key}")),
            string.Join('\n', (first.Output + second.Output).Split('\n').Where(line => line.Contains("fail", StringComparison.Ordinal) || line.Contains("warn", StringComparison.Ordinal) || line.StartsWith("      ", StringComparison.Ordinal)).Take(30)));
        foreach (var api in new[] { first, second })
        {
            api.Output.Should().Contain("DB_DSN reaches a pooler in transaction mode, which prepares nothing (DB_SERVER_PREPARED_STATEMENTS=false)")
                .And.NotContain("42P05").And.NotContain("26000").And.NotContain("Exception");
        }
    }

    [Test]
    public async Task A_request_that_meets_a_lost_prepared_statement_answers_503_and_makes_the_instance_unready()
    {
        // The start-up probe sees PostgreSQL itself; then the address is repointed at the pooler (a DNS name or service
        // changed under a running instance), so the requests, not the probe, meet the pooler.
        var port = Infrastructure.ApiProcess.FreePort();
        await using var address = new TcpForwarder(port, "127.0.0.1", PoolerAndStandbySuite.Primary.Port);
        address.Start();
        // Every statement prepared at its first use (Npgsql's default waits for 5): each of the pool's connections then
        // prepares under the same name at once, so the clash does not depend on how many connections the load opens.
        var settings = Settings($"Host=127.0.0.1;Port={port};Username=postgres;Password={PoolerAndStandbySuite.Primary.Password};"
            + $"Database={PoolerAndStandbySuite.PooledDatabase};Auto Prepare Min Usages=1");
        settings["DB_POOL_MIN_SIZE"] = "0";
        await using var api = new ApiFactory(settings);
        using var client = api.CreateClient();
        (await client.GetAsync("/healthz/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        address.Retarget("127.0.0.1", PoolerAndStandbySuite.Bouncer.Port);
        // The connections opened so far lead to PostgreSQL itself; the next ones lead to the pooler.
        api.Services.GetRequiredService<NpgsqlDataSource>().Clear();
        var id = await client.CreateUserAsync("prepared");
        var statuses = new ConcurrentBag<HttpStatusCode>();
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            while (!enough.IsCancellationRequested && !statuses.Contains(HttpStatusCode.ServiceUnavailable))
            {
                using var response = await client.GetAsync($"/users/{id}", CancellationToken.None);
                statuses.Add(response.StatusCode);
            }
        }));

        // A 500 names its exception: the unhandled-exception lines of the log.
        var unhandled = string.Join(" | ", api.Logs.Entries.Where(entry => entry.Level >= LogLevel.Error)
            .SelectMany(entry => entry.Message.Split(Environment.NewLine).Where(line => line.Contains("Exception", StringComparison.Ordinal)).Take(1))
            .Distinct());
        statuses.Should().Contain(HttpStatusCode.ServiceUnavailable, "16 clients through a pool of 2 sessions meet each other's prepared statements")
            .And.OnlyContain(status => status == HttpStatusCode.OK || status == HttpStatusCode.ServiceUnavailable, $"never a 500; errors logged: {unhandled}");
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // readiness reuses its last answer for a second
        using var ready = await client.GetAsync("/healthz/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).Should().Contain("set DB_SERVER_PREPARED_STATEMENTS=false.");
        api.Logs.Messages.Should().ContainSingle(message => message.StartsWith("Not ready from now on: server-prepared statements fail here", StringComparison.Ordinal));
    }
}

using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Faults;

/// <summary>
/// Scenario 6: far more clients than pooled connections. Requests queue for a connection for at most
/// DB_CONNECT_TIMEOUT (2 s) and then get 503 with Retry-After; none waits for the request timeout.
/// </summary>
public sealed class PoolExhaustionTests : FaultTest
{
    private const int PoolSize = 2;
    private const int Clients = 64;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Prompt = ConnectTimeout + TimeSpan.FromSeconds(1.5);

    [Test]
    public async Task With_two_pooled_connections_64_clients_each_get_an_answer_or_a_prompt_503()
    {
        await using var api = await StartServingAsync(new Dictionary<string, string>
        {
            ["DB_POOL_MAX_SIZE"] = PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DB_CONNECT_TIMEOUT"] = ConnectTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var client = api.CreateClient();
        await WarmUpAsync(client);
        var id = await client.CreateUserAsync("shared");

        // Flowing: 64 clients, 20 requests each, against two connections.
        var flowing = (await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            var answers = new List<TimedAnswer>();
            for (var i = 0; i < 20; i++)
            {
                answers.Add(await TimeAsync(cancellation => i % 5 == 0
                    ? client.PostAsJsonAsync("/users", new { name = $"client {c} #{i}" }, cancellation)
                    : client.GetAsync($"/users/{id}", cancellation)));
            }

            return answers;
        }))).SelectMany(answers => answers).ToList();

        // Exhausted: both connections stuck behind a lock while 64 more clients arrive.
        TimedAnswer[] exhausted;
        TimedAnswer ready;
        await using (var tableLock = await TableLock.AcquireAsync(DataSource))
        {
            var stuck = Enumerable.Range(0, PoolSize).Select(_ => TimeAsync(cancellation => client.GetAsync($"/users/{id}", cancellation))).ToList();
            await TableLock.WaitForWaitersAsync(PoolSize, DataSource);
            var arriving = Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => TimeAsync(cancellation => client.GetAsync($"/users/{id}", cancellation))));
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            ready = await TimeAsync(cancellation => client.GetAsync("/healthz/ready", cancellation));
            await arriving;
            await tableLock.DisposeAsync();
            exhausted = [.. await arriving, .. await Task.WhenAll(stuck)];
        }

        var shed = exhausted.Where(answer => answer.Status == 503).ToList();
        FaultReport.Add($"6. Pool exhaustion: DB_POOL_MAX_SIZE={PoolSize}, {Clients} concurrent clients, DB_CONNECT_TIMEOUT={ConnectTimeout.TotalSeconds:0} s",
            ("flowing: requests / 2xx / 503", $"{flowing.Count} / {flowing.Count(answer => answer.Status is 200 or 201)} / {flowing.Count(answer => answer.Status == 503)}"),
            ("flowing: slowest answer", flowing.Max(answer => answer.Duration)),
            ("exhausted: requests / 2xx / 503", $"{exhausted.Length} / {exhausted.Count(answer => answer.Status == 200)} / {shed.Count}"),
            ("exhausted: slowest 503", shed.Count == 0 ? TimeSpan.Zero : shed.Max(answer => answer.Duration)),
            ("exhausted: readiness answer", $"{ready.Status} in {FaultReport.Seconds(ready.Duration)}"),
            ("answers other than 2xx and 503", flowing.Concat(exhausted).Count(answer => answer.Status is not (200 or 201 or 503))));
        flowing.Concat(exhausted).Should().OnlyContain(answer => answer.Status == 200 || answer.Status == 201 || answer.Status == 503);
        flowing.Should().OnlyContain(answer => answer.Duration < Prompt, "none hangs");
        shed.Should().HaveCount(Clients, "every newcomer found the pool empty for longer than DB_CONNECT_TIMEOUT")
            .And.OnlyContain(answer => answer.IsProblem && answer.Duration < Prompt, "and was told so promptly");
        ready.Status.Should().Be(200, "a busy instance is not a broken one: readiness has a connection of its own");
        ready.Duration.Should().BeLessThan(TimeSpan.FromSeconds(1));
        exhausted.Where(answer => answer.Status == 200).Should().HaveCount(PoolSize, "the requests holding the connections finish once the lock goes")
            .And.OnlyContain(answer => answer.Duration < TimeSpan.FromSeconds(10), "inside the request timeout");
    }
}

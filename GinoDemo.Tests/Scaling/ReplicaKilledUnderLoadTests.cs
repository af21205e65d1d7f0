using System.Collections.Concurrent;
using System.Diagnostics;

namespace GinoDemo.Tests.Scaling;

/// <summary>
/// Scenario 2: <c>kill -9</c> of one replica while clients create users through HAProxy, each POST with an
/// <c>Idempotency-Key</c> and retried with the same key until it is acknowledged, and read them back. HAProxy sends
/// what the dead replica left unanswered to another (<c>retry-on</c>, <c>option redispatch</c>), and its health check
/// takes it out of rotation. Every acknowledged write must be stored exactly once, no client write abandoned, no
/// 5xx (nor a missing answer) seen by a client.
/// </summary>
[DependsOnFixture(typeof(AnyReplicaServesAnyRequestTests), AllowFailure = true)]
public sealed class ReplicaKilledUnderLoadTests : ScalingTest
{
    private const int Writers = 6;
    private const int Readers = 2;
    private const int Victim = 1;
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(3);

    private readonly ConcurrentBag<(long? Id, string Name, List<int> Statuses)> _writes = [];
    private readonly ConcurrentBag<int> _reads = [];
    private readonly ConcurrentQueue<long> _acknowledged = new();

    [Test]
    public async Task Every_acknowledged_write_is_stored_once_and_clients_see_no_5xx_when_a_replica_is_killed()
    {
        using var proxy = Client(connections: Writers + Readers);
        var (retriesBefore, redispatchesBefore) = await Topology.Proxy.RetriesAsync();
        using var stop = new CancellationTokenSource();
        Task[] load =
        [
            .. Enumerable.Range(0, Writers).Select(writer => WriteAsync(proxy, writer, stop.Token)),
            .. Enumerable.Range(0, Readers).Select(reader => ReadAsync(proxy, reader, stop.Token)),
        ];

        await Task.Delay(Steady);
        var clock = Stopwatch.StartNew();
        await Topology.KillReplicaAsync(Victim);
        await Topology.Proxy.WaitForStatusAsync(Victim, "DOWN", Patience);
        var outOfRotation = clock.Elapsed;
        await Task.Delay(AfterKill);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var (retries, redispatches) = await Topology.Proxy.RetriesAsync();

        // Back in rotation for the next scenarios.
        await Topology.StartReplicaInRotationAsync(Victim);

        var stored = await StoredAsync(Run);
        var acknowledged = _writes.Where(write => write.Id is not null).ToList();
        var storedById = stored.ToDictionary(row => row.Id, row => row.Nickname);
        var lost = acknowledged.Count(write => !storedById.TryGetValue(write.Id!.Value, out var nickname) || nickname != write.Name);
        var duplicates = stored.GroupBy(row => row.Nickname).Count(rows => rows.Count() > 1);
        var abandoned = _writes.Count(write => write.Id is null);
        var statuses = _writes.SelectMany(write => write.Statuses).Concat(_reads).ToList();
        Report.Add("2. A replica killed (kill -9) under keyed writes through HAProxy",
        [
            ("client writes (POST with Idempotency-Key, retried with the same key)", _writes.Count),
            ("acknowledged (201)", acknowledged.Count),
            ("abandoned (never acknowledged)", abandoned),
            ("client retries (same key)", _writes.Sum(write => write.Statuses.Count - 1)),
            ("lost acknowledged writes", lost),
            ("nicknames stored twice", duplicates),
            ("reads (GET through HAProxy)", _reads.Count),
            ("answers 5xx seen by clients", statuses.Count(status => status >= 500)),
            ("requests without an answer seen by clients", statuses.Count(status => status == 0)),
            ("HAProxy retries / redispatches to another replica", $"{retries - retriesBefore} / {redispatches - redispatchesBefore}"),
            ("killed replica out of rotation after", outOfRotation),
        ]);

        acknowledged.Should().NotBeEmpty();
        lost.Should().Be(0, "every acknowledged write is stored with its nickname");
        duplicates.Should().Be(0, "a create retried with its key runs once");
        stored.Should().HaveCount(acknowledged.Count, "nothing is stored that was not acknowledged, nothing twice");
        abandoned.Should().Be(0, "every client write is acknowledged in the end");
        statuses.Should().OnlyContain(status => status >= 200 && status < 300,
            "HAProxy retries on another replica what the killed one left unanswered, so clients see no 5xx and no dropped request");
    }

    private async Task WriteAsync(HttpClient client, int writer, CancellationToken stop)
    {
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var name = $"killed replica {Run} writer {writer} #{sequence}";
            var (id, statuses) = await CreateWithRetriesAsync(client, name, Patience);
            _writes.Add((id, name, statuses));
            if (id is { } acknowledged)
            {
                _acknowledged.Enqueue(acknowledged);
            }
        }
    }

    private async Task ReadAsync(HttpClient client, int reader, CancellationToken stop)
    {
        var random = new Random(reader);
        while (!stop.IsCancellationRequested)
        {
            if (await Faults.FaultTest.PickKnownAsync(_acknowledged, random) is { } id)
            {
                _reads.Add((await TimeAsync(cancellation => client.GetAsync($"/users/{id}", cancellation))).Status);
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests.Scaling;

/// <summary>
/// Scenario 4: reads served by the standby (<c>DB_READ_DSN</c>, through PgBouncer's standby database) while clients
/// create and rename users through HAProxy and read them back at once. A client must never read its own write stale
/// (a commit is acknowledged once the standby has applied it: synchronous <c>remote_apply</c>); a read of another
/// client's write may be stale, and is counted, with how long after that write's acknowledgement it was sent, bounded
/// by the replication lag. Then the standby is stopped: reads fall back to the primary, still answered 200.
/// </summary>
[DependsOnFixture(typeof(RollingUpgradeTests), AllowFailure = true)]
public sealed class ReadYourWritesTests : ScalingTest
{
    private const int Clients = 4;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(4);

    /// <summary>Stale reads of others' writes must have been sent within this of the write's acknowledgement, plus the lag.</summary>
    private static readonly TimeSpan StalenessAllowance = TimeSpan.FromSeconds(1);

    private readonly Stopwatch _clock = new();
    private readonly ConcurrentDictionary<long, (string Nickname, TimeSpan AcknowledgedAt)> _latest = new();
    private readonly ConcurrentQueue<long> _known = new();
    private readonly ConcurrentBag<int> _statuses = [];
    private readonly ConcurrentBag<string> _ownStale = [];
    private readonly ConcurrentBag<TimeSpan> _othersStale = [];
    private int _ownReads;
    private int _othersReads;

    [Test]
    public async Task A_client_never_reads_its_own_write_stale_from_the_standby_and_reads_fall_back_when_it_is_down()
    {
        var standby = Topology.Standby ?? throw new InvalidOperationException("The standby is gone.");
        await using var standbyDatabase = NpgsqlDataSource.Create(standby.ConnectionString(Topology.Database));
        await using var primary = NpgsqlDataSource.Create(Topology.Primary.ConnectionString("postgres"));
        const string Transactions = $"SELECT xact_commit FROM pg_stat_database WHERE datname = '{Topology.Database}'";
        var standbyTransactionsBefore = await TestDatabase.CountAsync(Transactions, standbyDatabase);

        using var proxy = Client(connections: Clients);
        using var stop = new CancellationTokenSource(Duration);
        var lag = SampleLagAsync(primary, stop.Token);
        _clock.Start();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => WriteAndReadAsync(proxy, client, stop.Token)));
        var maxLag = await lag;
        var standbyTransactions = await TestDatabase.CountAsync(Transactions, standbyDatabase) - standbyTransactionsBefore;

        // The standby down: reads go to the primary.
        await standby.StopAsync();
        var fallback = new List<int>();
        try
        {
            foreach (var id in _known.Take(20))
            {
                fallback.Add((await TimeAsync(ct => proxy.GetAsync($"/users/{id}", ct))).Status);
            }
        }
        finally
        {
            await standby.StartAsync();
            var deadline = DateTime.UtcNow + Patience;
            while (await TestDatabase.CountAsync($"SELECT count(*) FROM pg_stat_replication WHERE application_name = '{Topology.StandbyName}' AND state = 'streaming'", primary) == 0)
            {
                DateTime.UtcNow.Should().BeBefore(deadline, "the standby streams again within a minute");
                await Task.Delay(50);
            }
        }

        var reads = _ownReads + _othersReads;
        Report.Add("4. Read-your-writes through the read path (DB_READ_DSN on the standby, synchronous remote_apply)",
        [
            ("requests through HAProxy", _statuses.Count),
            ("reads of the client's own write, at once", _ownReads),
            ("of them stale", _ownStale.Count),
            ("reads of other clients' writes", _othersReads),
            ("of them stale", _othersStale.Count),
            ("stale reads of others: latest sent after the write's acknowledgement", _othersStale.DefaultIfEmpty().Max()),
            ("largest replay lag seen (pg_stat_replication.replay_lag)", maxLag),
            ("transactions on the standby's database during the run", standbyTransactions),
            ("reads with the standby stopped: 200 / all", $"{fallback.Count(status => status == 200)} / {fallback.Count}"),
        ]);

        _statuses.Should().OnlyContain(status => status >= 200 && status < 300);
        _ownReads.Should().BePositive();
        _ownStale.Should().BeEmpty("a client reads its own write at once, whichever replica and server answer");
        standbyTransactions.Should().BeGreaterThanOrEqualTo(reads / 2, "the reads are served by the standby");
        _othersStale.Where(age => age > maxLag + StalenessAllowance).Should().BeEmpty("a stale read is bounded by the replication lag");
        fallback.Should().NotBeEmpty().And.OnlyContain(status => status == 200, "reads fall back to the primary while the standby is down");
    }

    /// <summary>The largest <c>replay_lag</c> of the standby sampled until <paramref name="stop"/>.</summary>
    private static async Task<TimeSpan> SampleLagAsync(NpgsqlDataSource primary, CancellationToken stop)
    {
        var largest = TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            await using var command = primary.CreateCommand("SELECT coalesce(max(extract(epoch FROM replay_lag)), 0)::float8 FROM pg_stat_replication");
            var seconds = (double)(await command.ExecuteScalarAsync(CancellationToken.None))!;
            largest = TimeSpan.FromSeconds(Math.Max(largest.TotalSeconds, seconds));
            await Task.Delay(100, CancellationToken.None);
        }

        return largest;
    }

    /// <summary>Creates a user and reads it at once, renames it and reads it at once, then reads another client's user.</summary>
    private async Task WriteAndReadAsync(HttpClient client, int index, CancellationToken stop)
    {
        var random = new Random(index);
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            var name = $"read your writes {Run} client {index} #{round}";
            using var created = await SendAsync(() => client.PostAsJsonAsync("/users", new { name }, CancellationToken.None));
            if (created.StatusCode != HttpStatusCode.Created)
            {
                continue;
            }

            var id = (await created.Content.ReadFromJsonAsync<UserBody>(CancellationToken.None))!.Id;
            _latest[id] = (name, _clock.Elapsed);
            await ReadOwnAsync(client, id, name);
            using var renamed = await SendAsync(() => client.SendAsync(HttpMethod.Patch, $"/users/{id}",
                System.Text.Json.JsonSerializer.Serialize(new { name = name + " renamed" }), ("If-Match", ETags.Of(created)!)));
            if (renamed.StatusCode == HttpStatusCode.OK)
            {
                _latest[id] = (name + " renamed", _clock.Elapsed);
                await ReadOwnAsync(client, id, name + " renamed");
            }

            _known.Enqueue(id);
            if (await Faults.FaultTest.PickKnownAsync(_known, random) is { } other && _latest.TryGetValue(other, out var expected))
            {
                var sent = _clock.Elapsed;
                using var read = await SendAsync(() => client.GetAsync($"/users/{other}", CancellationToken.None));
                Interlocked.Increment(ref _othersReads);
                var nickname = read.StatusCode == HttpStatusCode.OK ? (await read.Content.ReadFromJsonAsync<UserBody>(CancellationToken.None))!.Nickname : null;
                // Only the owner renames, once: a nickname that is neither the one acknowledged nor a later one is stale.
                if (nickname != expected.Nickname && nickname != expected.Nickname + " renamed" && !(nickname ?? "").EndsWith(" renamed", StringComparison.Ordinal))
                {
                    _othersStale.Add(sent - expected.AcknowledgedAt);
                }
            }
        }
    }

    private async Task ReadOwnAsync(HttpClient client, long id, string nickname)
    {
        using var read = await SendAsync(() => client.GetAsync($"/users/{id}", CancellationToken.None));
        Interlocked.Increment(ref _ownReads);
        var body = read.StatusCode == HttpStatusCode.OK ? await read.Content.ReadFromJsonAsync<UserBody>(CancellationToken.None) : null;
        if (body?.Nickname != nickname)
        {
            _ownStale.Add($"{id}: {(int)read.StatusCode} {body?.Nickname}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        var response = await send();
        await response.Content.LoadIntoBufferAsync();
        _statuses.Add((int)response.StatusCode);
        return response;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Scaling;

/// <summary>
/// Scenario 5: the primary crashes (<c>pg_ctl stop -m immediate</c>) under a stream of creates through HAProxy; the
/// synchronous standby is promoted (<c>pg_ctl promote</c>) and PgBouncer pointed at it (its file rewritten, SIGHUP).
/// Measured: the error window clients see, and the acknowledged writes missing from the new primary, which must be 0:
/// a commit is acknowledged only once the standby has it (<c>synchronous_standby_names</c>). The same API processes
/// must serve again, none restarted. Runs after the others but the log check: it leaves no standby.
/// </summary>
[DependsOnFixture(typeof(ReadYourWritesTests), AllowFailure = true)]
public sealed class FailoverTests : ScalingTest
{
    private const int Writers = 6;
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AfterRecovery = TimeSpan.FromSeconds(1.5);

    private readonly Stopwatch _clock = new();
    private readonly ConcurrentBag<(TimeSpan Start, TimeSpan End, int Status, string Name, long? Id)> _answers = [];

    [Test]
    public async Task After_a_failover_to_the_synchronous_standby_no_acknowledged_write_is_lost_and_the_same_replicas_serve_again()
    {
        var replicas = Enumerable.Range(0, Topology.ReplicaCount).Select(Topology.Replica).ToList();
        using var proxy = Client(connections: Writers);
        using var stop = new CancellationTokenSource();
        _clock.Start();
        Task[] load = [.. Enumerable.Range(0, Writers).Select(writer => WriteAsync(proxy, writer, stop.Token))];

        await Task.Delay(Steady);
        var (crashed, promoted, repointed) = await Topology.FailOverAsync(_clock);
        var giveUp = repointed + Patience;
        while (FirstAcknowledgedAfter(crashed) is null && _clock.Elapsed < giveUp)
        {
            await Task.Delay(20);
        }

        await Task.Delay(AfterRecovery);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var stored = (await StoredAsync(Run)).ToDictionary(row => row.Id, row => row.Nickname);
        var acknowledged = _answers.Where(answer => answer.Status == 201).ToList();
        var lost = acknowledged.Count(write => !stored.TryGetValue(write.Id!.Value, out var nickname) || nickname != write.Name);
        var servingAgain = new List<int>();
        for (var i = 0; i < replicas.Count; i++)
        {
            servingAgain.Add(await ServesAgainAsync(i));
        }

        var window = FirstAcknowledgedAfter(crashed) - crashed;
        var lastBefore = acknowledged.Where(answer => answer.End <= crashed).Select(answer => answer.End).DefaultIfEmpty().Max();
        var duringWindow = _answers.Where(answer => answer.Start >= crashed && answer.End <= crashed + (window ?? TimeSpan.Zero)).ToList();
        Report.Add("5. Failover: the primary crashed, the synchronous standby promoted, PgBouncer repointed (SIGHUP)",
        [
            ("writes sent (POST through HAProxy)", _answers.Count),
            ("acknowledged (201)", acknowledged.Count),
            ("acknowledged writes lost (synchronous standby)", lost),
            ("standby promoted after the crash in", promoted - crashed),
            ("PgBouncer repointed after the crash in", repointed - crashed),
            ("error window: crash to the first write acknowledged again", window is { } seconds ? Faults.FaultReport.Seconds(seconds) : "none"),
            ("last write acknowledged before the crash, before it by", crashed - lastBefore),
            ("answers in the window by status", string.Join(", ", duringWindow.GroupBy(answer => answer.Status).OrderBy(group => group.Key).Select(group => $"{group.Key}: {group.Count()}"))),
            ("answers 500 (a bug, not an outage)", _answers.Count(answer => answer.Status == 500)),
            ("API processes restarted", replicas.Count(replica => replica.HasExited)),
        ]);

        window.Should().NotBeNull("writes are acknowledged again after the failover");
        lost.Should().Be(0, "with a synchronous standby every acknowledged commit is on the standby before the client hears of it");
        stored.Should().HaveCountGreaterThanOrEqualTo(acknowledged.Count);
        _answers.Count(answer => answer.Status == 500).Should().Be(0, "a failover is an outage (503, PgBouncer's 08P01 included), not a bug");

        for (var i = 0; i < replicas.Count; i++)
        {
            replicas[i].HasExited.Should().BeFalse("replica {0} serves on without a restart", i);
            Topology.Replica(i).Should().BeSameAs(replicas[i]);
            servingAgain[i].Should().Be(201, "replica {0} writes to the new primary", i);
        }
    }

    private TimeSpan? FirstAcknowledgedAfter(TimeSpan crashed) =>
        _answers.Where(answer => answer.Start >= crashed && answer.Status == 201).Select(answer => answer.End).Order().Cast<TimeSpan?>().FirstOrDefault();

    /// <summary>A create sent to replica <paramref name="index"/> directly, once it is ready again: its status.</summary>
    private async Task<int> ServesAgainAsync(int index)
    {
        using var client = Client(index);
        var deadline = DateTime.UtcNow + Patience;
        while ((await TimeAsync(ct => client.GetAsync("/healthz/ready", ct))).Status != 200 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var name = $"failover {Run} replica {index} after";
        using var created = await client.PostAsJsonAsync("/users", new { name });
        if (created.StatusCode == HttpStatusCode.Created)
        {
            _answers.Add((_clock.Elapsed, _clock.Elapsed, 201, name, (await created.Content.ReadFromJsonAsync<UserBody>())!.Id));
        }

        return (int)created.StatusCode;
    }

    private async Task WriteAsync(HttpClient client, int writer, CancellationToken stop)
    {
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var name = $"failover {Run} writer {writer} #{sequence}";
            var start = _clock.Elapsed;
            int status;
            long? id = null;
            try
            {
                using var response = await client.PostAsJsonAsync("/users", new { name }, CancellationToken.None);
                status = (int)response.StatusCode;
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    id = (await response.Content.ReadFromJsonAsync<UserBody>(CancellationToken.None))!.Id;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                status = 0;
            }

            _answers.Add((start, _clock.Elapsed, status, name, id));
            if (status != 201)
            {
                await Task.Delay(50, CancellationToken.None); // an outage: do not spin
            }
        }
    }
}

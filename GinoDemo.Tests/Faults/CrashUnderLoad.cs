using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests.Faults;

/// <summary>
/// Scenario 1's run: clients send a steady stream of POSTs (each with a nickname of its own, recording every id
/// acknowledged with 201) and GETs of acknowledged ids, while a probe polls readiness and liveness; mid-run the
/// database is killed (<c>pg_ctl stop -m immediate</c>) and started again. Afterwards every stored row is read
/// straight from PostgreSQL and compared with what the clients were told.
/// </summary>
public sealed class CrashUnderLoad
{
    private const int Writers = 6;
    private const int Readers = 2;
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan AfterRecovery = TimeSpan.FromSeconds(2);

    private readonly Stopwatch _clock = new();
    private readonly ConcurrentBag<Answer> _answers = [];
    private readonly ConcurrentBag<Probe> _probes = [];
    private readonly ConcurrentQueue<(long Id, string Nickname)> _acknowledged = new();

    // Keeps nicknames unique across runs on one database.
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private CrashUnderLoad()
    {
    }

    /// <summary>One HTTP exchange. Status 0: no answer at all (the connection failed or the client gave up).</summary>
    public sealed record Answer(string Method, TimeSpan Start, TimeSpan Duration, int Status, bool IsProblem, bool HasRetryAfter, string? Nickname, long? Id);

    /// <summary>A readiness and a liveness answer, sent at <paramref name="At"/>, the readiness answer back at <paramref name="ReadyAt"/>.</summary>
    public sealed record Probe(TimeSpan At, TimeSpan ReadyAt, int Ready, int Live);

    public IReadOnlyCollection<Answer> Answers => _answers;

    public IReadOnlyCollection<Probe> Probes => _probes;

    /// <summary>When the crash was ordered.</summary>
    public TimeSpan CrashedAt { get; private set; }

    /// <summary>When <c>pg_ctl stop -m immediate</c> returned: from here no server process runs.</summary>
    public TimeSpan DownAt { get; private set; }

    /// <summary>When the database was started again.</summary>
    public TimeSpan RestartingAt { get; private set; }

    /// <summary>When the restarted database first accepted a connection.</summary>
    public TimeSpan AcceptingAt { get; private set; }

    /// <summary>Every row of the users table after the run, read from PostgreSQL.</summary>
    public IReadOnlyList<(long Id, string Nickname)> StoredRows { get; private set; } = [];

    public IReadOnlyList<Answer> AcknowledgedWrites => [.. _answers.Where(answer => answer.Method == "POST" && answer.Status == 201)];

    /// <summary>Acknowledged ids missing afterwards, or stored with another nickname.</summary>
    public int Lost
    {
        get
        {
            var stored = StoredRows.ToDictionary(row => row.Id, row => row.Nickname);
            return AcknowledgedWrites.Count(write => !stored.TryGetValue(write.Id!.Value, out var nickname) || nickname != write.Nickname);
        }
    }

    /// <summary>Nicknames stored more than once: each request sent a nickname of its own.</summary>
    public int Duplicates => StoredRows.GroupBy(row => row.Nickname).Count(rows => rows.Count() > 1);

    /// <summary>Writes answered 503 whose row exists: the commit reached the disk, its acknowledgement did not reach the API.</summary>
    public int StoredButAnswered503
    {
        get
        {
            var stored = StoredRows.Select(row => row.Nickname).ToHashSet();
            return _answers.Count(answer => answer.Method == "POST" && answer.Status == 503 && stored.Contains(answer.Nickname!));
        }
    }

    /// <summary>The first readiness 200 after the database accepted connections, counted from that moment.</summary>
    public TimeSpan? ReadyAgainAfter => _probes.Where(probe => probe.At >= AcceptingAt && probe.Ready == 200)
        .Select(probe => probe.ReadyAt - AcceptingAt).Order().Cast<TimeSpan?>().FirstOrDefault();

    /// <summary>The first write sent after the database accepted connections and acknowledged, counted from that moment.</summary>
    public TimeSpan? WritingAgainAfter => AcknowledgedWrites.Where(write => write.Start >= AcceptingAt)
        .Select(write => write.Start + write.Duration - AcceptingAt).Order().Cast<TimeSpan?>().FirstOrDefault();

    /// <summary>Answers to requests sent while the database was down.</summary>
    public IReadOnlyList<Answer> DuringOutage => [.. _answers.Where(answer => answer.Start >= CrashedAt && answer.Start < AcceptingAt)];

    public static async Task<CrashUnderLoad> RunAsync(ApiProcess api, PostgresCluster cluster, NpgsqlDataSource database)
    {
        var run = new CrashUnderLoad();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Writers + Readers + 2 };
        // Longer than the API's request timeout (10 s): a hang shows as a slow answer, not as a client timeout.
        using var client = new HttpClient(handler) { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var stop = new CancellationTokenSource();
        run._clock.Start();
        Task[] load =
        [
            .. Enumerable.Range(0, Writers).Select(writer => run.WriteAsync(client, writer, stop.Token)),
            .. Enumerable.Range(0, Readers).Select(reader => run.ReadAsync(client, reader, stop.Token)),
            run.ProbeAsync(client, stop.Token),
        ];

        await Task.Delay(Steady);
        run.CrashedAt = run._clock.Elapsed;
        await cluster.CrashAsync();
        run.DownAt = run._clock.Elapsed;
        await Task.Delay(Outage);
        run.RestartingAt = run._clock.Elapsed;
        var starting = cluster.StartAsync();
        // Polled beside pg_ctl, which itself notices readiness only at its next poll.
        while (!await cluster.AcceptsConnectionsAsync())
        {
            if (starting.IsFaulted || run._clock.Elapsed > run.RestartingAt + TimeSpan.FromSeconds(60))
            {
                await stop.CancelAsync();
                await Task.WhenAll(load);
                await starting;
                Assert.Fail("PostgreSQL did not accept connections within 60 s of its restart.");
            }

            await Task.Delay(10);
        }

        run.AcceptingAt = run._clock.Elapsed;
        await starting;
        var giveUp = run.AcceptingAt + TimeSpan.FromSeconds(20);
        while ((run.ReadyAgainAfter is null || run.WritingAgainAfter is null) && run._clock.Elapsed < giveUp)
        {
            await Task.Delay(100);
        }

        await Task.Delay(AfterRecovery);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        await using var command = database.CreateCommand("SELECT id, nickname FROM users");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        run.StoredRows = rows;
        return run;
    }

    private async Task WriteAsync(HttpClient client, int writer, CancellationToken stop)
    {
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var nickname = $"run {_run} writer {writer} #{sequence}";
            var answer = await SendAsync("POST", nickname, () => client.PostAsJsonAsync("/users", new { name = nickname }, CancellationToken.None));
            if (answer.Id is { } id)
            {
                _acknowledged.Enqueue((id, nickname));
            }
            else if (answer.Status == 0)
            {
                await Task.Delay(50, CancellationToken.None); // no answer at all: the test fails; do not spin meanwhile
            }
        }
    }

    private async Task ReadAsync(HttpClient client, int reader, CancellationToken stop)
    {
        var random = new Random(reader);
        while (!stop.IsCancellationRequested)
        {
            if (await FaultTest.PickKnownAsync(_acknowledged, random) is var (id, nickname))
            {
                await SendAsync("GET", nickname, () => client.GetAsync($"/users/{id}", CancellationToken.None));
            }
        }
    }

    private async Task ProbeAsync(HttpClient client, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var at = _clock.Elapsed;
            var ready = await StatusOfAsync(client, "/healthz/ready");
            var readyAt = _clock.Elapsed;
            var live = await StatusOfAsync(client, "/healthz/live");
            _probes.Add(new Probe(at, readyAt, ready, live));
            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>The status, or 0 when no answer came.</summary>
    private static async Task<int> StatusOfAsync(HttpClient client, string path) =>
        (await FaultTest.TimeAsync(cancellation => client.GetAsync(path, cancellation))).Status;

    private async Task<Answer> SendAsync(string method, string nickname, Func<Task<HttpResponseMessage>> send)
    {
        var start = _clock.Elapsed;
        Answer answer;
        try
        {
            using var response = await send();
            long? id = null;
            if (method == "POST" && response.StatusCode == HttpStatusCode.Created)
            {
                id = (await response.Content.ReadFromJsonAsync<UserBody>())!.Id;
            }

            answer = new Answer(method, start, _clock.Elapsed - start, (int)response.StatusCode,
                response.Content.Headers.ContentType?.MediaType == "application/problem+json", response.Headers.RetryAfter is not null, nickname, id);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            answer = new Answer(method, start, _clock.Elapsed - start, 0, false, false, nickname, null);
        }

        _answers.Add(answer);
        return answer;
    }
}

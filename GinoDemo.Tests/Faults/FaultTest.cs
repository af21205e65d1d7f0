using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests.Faults;

/// <summary>
/// Base of the fault scenarios: each gets a database of its own, copied from the migrated template on the suite's
/// cluster, and starts the published API against it as a real process. The cluster is running again after every
/// scenario, whatever it did to it.
/// </summary>
[Category("Faults")]
public abstract class FaultTest
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The request pool's sessions on this scenario's database (readiness has a name of its own).</summary>
    protected const string ApiSessions =
        "pg_stat_activity WHERE datname = current_database() AND application_name = 'gino-demo'";

    protected static PostgresCluster Cluster => FaultSuite.Cluster;

    protected string Database { get; private set; } = null!;

    /// <summary>This scenario's database, for the checks made beside the API (unpooled: it survives crashes).</summary>
    protected NpgsqlDataSource DataSource { get; private set; } = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        Database = $"faults_{Guid.NewGuid():N}"[..20];
        await Cluster.ExecuteAsync($"CREATE DATABASE {Database} TEMPLATE {FaultSuite.TemplateDatabase}");
        DataSource = NpgsqlDataSource.Create(Cluster.ConnectionString(Database));
    }

    [TearDown]
    public async Task DropDatabase()
    {
        // A scenario may have left the server stopped, crashed, or still recovering from a crash.
        var deadline = DateTime.UtcNow + Patience;
        while (!await Cluster.AcceptsConnectionsAsync())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The suite's PostgreSQL did not accept connections again.");
            }

            if (!await Cluster.IsRunningAsync())
            {
                await Cluster.StartAsync();
            }

            await Task.Delay(100);
        }

        await DataSource.DisposeAsync();
        await Cluster.ExecuteAsync($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
    }

    /// <summary>
    /// The published API on this scenario's database, with production settings but for <paramref name="settings"/>.
    /// The per-client rate limit is raised: every simulated client shares the loopback address.
    /// </summary>
    protected ApiProcess StartApi(IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["DB_DSN"] = Cluster.Dsn(Database),
            ["RateLimiting__PermitsPerSecond"] = "1000000",
            ["RateLimiting__Burst"] = "1000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return ApiProcess.Start(FaultSuite.ApiDirectory, environment, apiDirectory: FaultSuite.ApiDirectory);
    }

    protected async Task<ApiProcess> StartServingAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var api = StartApi(settings);
        await api.WaitForOutputAsync("Now listening on", Patience);
        return api;
    }

    /// <summary>
    /// Sends each kind of request (and a readiness probe) once, repeating it until it succeeds: a fresh process compiles EF Core's
    /// pipelines on first use, which can take more than a short request timeout on a busy machine. The user it
    /// creates is deleted again.
    /// </summary>
    internal static async Task WarmUpAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + Patience;
        async Task<HttpResponseMessage> UntilSuccessAsync(Func<Task<HttpResponseMessage>> send)
        {
            while (true)
            {
                var response = await send();
                if (response.IsSuccessStatusCode || DateTime.UtcNow > deadline)
                {
                    return response.EnsureSuccessStatusCode();
                }

                response.Dispose();
                await Task.Delay(100);
            }
        }

        using var created = await UntilSuccessAsync(() => client.PostAsJsonAsync("/users", new { name = "warm-up" }));
        var id = (await created.Content.ReadFromJsonAsync<UserBody>())!.Id;
        (await UntilSuccessAsync(() => client.GetAsync($"/users/{id}"))).Dispose();
        (await UntilSuccessAsync(() => client.GetAsync("/users"))).Dispose();
        (await UntilSuccessAsync(() => client.PatchAsJsonAsync($"/users/{id}", new { name = "warm-up" }))).Dispose();
        (await UntilSuccessAsync(() => client.DeleteAsync($"/users/{id}"))).Dispose();
        (await UntilSuccessAsync(() => client.GetAsync("/healthz/ready"))).Dispose();
    }

    /// <summary>Sends a request and times its answer; status 0 when none came (a refused or dropped connection).</summary>
    internal static async Task<TimedAnswer> TimeAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellation = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var response = await send(cancellation);
            await response.Content.LoadIntoBufferAsync(cancellation);
            return new TimedAnswer((int)response.StatusCode, clock.Elapsed, response.Content.Headers.ContentType?.MediaType == "application/problem+json");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return new TimedAnswer(0, clock.Elapsed, false);
        }
    }

    /// <summary>One of the items the clients know so far, at random; null after a 10 ms pause while none is known yet.</summary>
    internal static async Task<T?> PickKnownAsync<T>(System.Collections.Concurrent.ConcurrentQueue<T> known, Random random)
        where T : struct
    {
        var items = known.ToArray();
        if (items.Length == 0)
        {
            await Task.Delay(10, CancellationToken.None);
            return null;
        }

        return items[random.Next(items.Length)];
    }

    protected Task<long> CountAsync(string sql) => TestDatabase.CountAsync(sql, DataSource);

    protected Task ExecuteAsync(string sql) => TestDatabase.ExecuteAsync(sql, DataSource);

    /// <summary>
    /// Waits up to <paramref name="patience"/> for none of the API's sessions to be busy (a cancellation reaches
    /// PostgreSQL a moment after the answer leaves); returns how many still are.
    /// </summary>
    protected async Task<long> WaitForNoBusyApiSessionAsync(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        long busy;
        while ((busy = await CountBusyApiSessionsAsync()) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return busy;
    }

    /// <summary>The API's sessions on this database that are running a statement or sit inside a transaction.</summary>
    private Task<long> CountBusyApiSessionsAsync() => CountAsync(
        $"SELECT count(*) FROM {ApiSessions} " +
        "AND state IS DISTINCT FROM 'idle'");
}

using System.Diagnostics;
using System.Net.Http.Json;
using GinoDemo.Tests.Faults;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Scaling;

/// <summary>
/// Base of the Scaling scenarios: they share the suite's <see cref="Scaling.Topology"/> (one database, so each
/// scenario's users carry a run tag of their own in their nicknames) and report figures to <see cref="ScalingSuite.Report"/>.
/// </summary>
[Category("Scaling")]
[NonParallelizable]
public abstract class ScalingTest
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected static Topology Topology => ScalingSuite.Topology;

    protected static FiguresReport Report => ScalingSuite.Report;

    /// <summary>A tag unique to this test, in the nicknames it creates.</summary>
    protected string Run { get; } = Guid.NewGuid().ToString("N")[..8];

    /// <summary>A client of HAProxy, or of replica <paramref name="replica"/> directly; the caller disposes it.</summary>
    protected static HttpClient Client(int? replica = null, int connections = 16) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections })
        {
            BaseAddress = replica is { } index ? Topology.Replica(index).BaseAddress : Topology.Proxy.BaseAddress,
            // Longer than the API's request timeout (10 s): a hang shows as a slow answer, not as a client timeout.
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>Sends a request and times its answer; status 0 when none came.</summary>
    protected static Task<TimedAnswer> TimeAsync(Func<CancellationToken, Task<HttpResponseMessage>> send) => FaultTest.TimeAsync(send);

    /// <summary>
    /// A POST with an <c>Idempotency-Key</c>, sent again with the same key after anything but a 201 (no answer, 5xx),
    /// as the README tells clients to, until <paramref name="patience"/> runs out. Returns the id (null: abandoned)
    /// and every status seen on the way.
    /// </summary>
    protected static async Task<(long? Id, List<int> Statuses)> CreateWithRetriesAsync(HttpClient client, string name, TimeSpan patience)
    {
        var key = Guid.NewGuid().ToString();
        var statuses = new List<int>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < patience)
        {
            try
            {
                using var response = await client.SendAsync(HttpMethod.Post, "/users", System.Text.Json.JsonSerializer.Serialize(new { name }), ("Idempotency-Key", key));
                statuses.Add((int)response.StatusCode);
                if (response.StatusCode == System.Net.HttpStatusCode.Created)
                {
                    return ((await response.Content.ReadFromJsonAsync<UserBody>())!.Id, statuses);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                statuses.Add(0);
            }

            await Task.Delay(100);
        }

        return (null, statuses);
    }

    /// <summary>Every stored user whose nickname contains <paramref name="tag"/>, read from the primary.</summary>
    protected static async Task<List<(long Id, string Nickname)>> StoredAsync(string tag)
    {
        await using var database = Topology.PrimaryDataSource();
        await using var command = database.CreateCommand("SELECT id, nickname FROM users WHERE strpos(nickname, $1) > 0");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tag });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return rows;
    }
}

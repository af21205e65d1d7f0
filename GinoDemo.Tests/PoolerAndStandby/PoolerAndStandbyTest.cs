using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.PoolerAndStandby;

/// <summary>
/// Base of the scaling tests (NUnit category <c>Scaling</c>: they need the real PgBouncer and standby of
/// <see cref="PoolerAndStandbySuite"/>). Each test works on users of its own in the suite's database, so none resets it.
/// </summary>
[Category("Scaling")]
public abstract class PoolerAndStandbyTest
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The API's settings on the suite's database: through <paramref name="primaryDsn"/> (default: the primary itself).</summary>
    protected static Dictionary<string, string?> Settings(string? primaryDsn = null) => new()
    {
        ["DB_DSN"] = primaryDsn ?? PoolerAndStandbySuite.Primary.Dsn(PoolerAndStandbySuite.Database),
        ["DB_READ_MAX_LAG"] = "1",
        // Generous for a busy CI machine: a PgBouncer login opens a server session (fork, SCRAM) on the way.
        ["DB_CONNECT_TIMEOUT"] = "10",
        ["DB_RETRY_LIMIT"] = "5",
    };

    /// <summary>The standby's DSN for <c>DB_READ_DSN</c>.</summary>
    protected static string StandbyDsn => PoolerAndStandbySuite.Standby.Dsn(PoolerAndStandbySuite.Database);

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds, or fails after <paramref name="within"/> with <paramref name="what"/>.</summary>
    protected static async Task WaitUntilAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {within}: {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Starts the API as a real process (in Development: readable lines, as scripts/run.sh shows).</summary>
    protected static ApiProcess StartProcess(IReadOnlyDictionary<string, string?> settings, IReadOnlyList<string>? arguments = null)
    {
        var environment = settings.Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value!);
        environment.TryAdd("ASPNETCORE_ENVIRONMENT", "Development");
        environment["RateLimiting__Enabled"] = "false";
        return ApiProcess.Start(Path.GetTempPath(), environment, arguments: arguments);
    }
}

using System.Diagnostics;
using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Faults;

/// <summary>Scenario 2: the database is not up yet when the API starts (gino-starlette's DB_RETRY_LIMIT / DB_RETRY_INTERVAL).</summary>
public sealed class LateDatabaseTests : FaultTest
{
    private const string WaitingLine = "Waiting for the database to start...";

    [Test]
    public async Task With_a_high_retry_limit_the_API_waits_for_a_late_database_and_then_serves()
    {
        await Cluster.StopAsync();
        var clock = Stopwatch.StartNew();
        await using var api = StartApi(new Dictionary<string, string> { ["DB_RETRY_LIMIT"] = "60", ["DB_RETRY_INTERVAL"] = "1" });
        await api.WaitForOutputAsync(WaitingLine, Patience);
        await Task.Delay(TimeSpan.FromSeconds(2));

        await Cluster.StartAsync();
        var databaseUp = clock.Elapsed;
        await api.WaitForOutputAsync("Now listening on", Patience);
        var serving = clock.Elapsed;

        using var client = api.CreateClient();
        await client.CreateUserAsync("after a late start");
        (await client.GetAsync("/healthz/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        var waits = api.CountLines(WaitingLine);
        FaultReport.Add("2a. Database late at startup, DB_RETRY_LIMIT=60, DB_RETRY_INTERVAL=1",
            ("database started after the API", databaseUp),
            ("failed connection attempts (each logged \"Waiting for the database to start...\")", waits),
            ("listening after the database was up", serving - databaseUp),
            ("first write", "201"));
        waits.Should().BeGreaterThanOrEqualTo(2);
        (serving - databaseUp).Should().BeLessThan(TimeSpan.FromSeconds(5), "the next attempt, a second later, finds the database");
    }

    [Test]
    public async Task With_a_low_retry_limit_the_API_gives_up_and_exits_non_zero_with_the_tutorial_log_line()
    {
        await Cluster.StopAsync();
        var clock = Stopwatch.StartNew();
        await using var api = StartApi(new Dictionary<string, string> { ["DB_RETRY_LIMIT"] = "2", ["DB_RETRY_INTERVAL"] = "1" });

        var exitCode = await api.WaitForExitAsync(Patience);

        FaultReport.Add("2b. Database late at startup, DB_RETRY_LIMIT=2, DB_RETRY_INTERVAL=1",
            ("exit code", exitCode),
            ("gave up after", clock.Elapsed),
            ("failed connection attempts before the last", api.CountLines(WaitingLine)));
        exitCode.Should().Be(1);
        api.Output.Should().Contain("Cannot connect to the database; max retries reached.").And.NotContain("Now listening on");
        api.CountLines(WaitingLine).Should().Be(1);
    }
}

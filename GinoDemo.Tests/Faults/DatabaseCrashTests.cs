namespace GinoDemo.Tests.Faults;

/// <summary>
/// Scenario 1: the database server process crashes under load. PostgreSQL keeps every acknowledged commit; the API must
/// pass that promise on (every 201 is stored, nothing twice), answer the outage quickly with 503, and recover by
/// itself. It proves that no 201 is answered before its commit; being a crash of the process and not of the machine
/// (<see cref="PostgresCluster.CrashAsync"/>), it does not prove durability across a power loss.
/// </summary>
public sealed class DatabaseCrashTests : FaultTest
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Every_acknowledged_write_survives_a_database_crash_and_the_API_recovers_by_itself()
    {
        await using var api = await StartServingAsync();

        var run = await CrashUnderLoad.RunAsync(api, Cluster, DataSource);

        Report("1. Database crash under load", run);
        run.AcknowledgedWrites.Where(write => write.Start < run.CrashedAt).Should().NotBeEmpty("writes were acknowledged before the crash");
        run.Lost.Should().Be(0, "every write acknowledged with 201 was committed durably");
        run.Duplicates.Should().Be(0, "no request stored two rows");
        run.Answers.Where(answer => answer.Method == "GET" && answer.Status == 404).Should().BeEmpty("an acknowledged user is always found");
        run.Answers.Select(answer => answer.Status).Distinct().Should().BeSubsetOf([200, 201, 503], "an outage is a 503, never a 500 or a dropped connection");
        run.Answers.Where(answer => answer.Status == 503).Should().OnlyContain(answer => answer.IsProblem && answer.HasRetryAfter);
        run.DuringOutage.Should().Contain(answer => answer.Status == 503);
        run.DuringOutage.Max(answer => answer.Duration).Should().BeLessThan(TimeSpan.FromSeconds(3), "the outage is answered quickly, far inside the request timeout");
        run.Answers.Max(answer => answer.Duration).Should().BeLessThan(RequestTimeout);

        // The readiness answer is cached for a second: from then on it follows the database.
        var down = run.Probes.Where(probe => probe.At > run.DownAt + TimeSpan.FromSeconds(1.5) && probe.At < run.RestartingAt).ToList();
        down.Should().NotBeEmpty().And.OnlyContain(probe => probe.Ready == 503, "readiness reports the database down");
        run.Probes.Should().OnlyContain(probe => probe.Live == 200, "liveness never depends on the database: a restart would not help");
        api.HasExited.Should().BeFalse("the process that was started before the crash serves after it: nothing restarted it");
        run.ReadyAgainAfter.Should().NotBeNull().And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(5), "readiness returns within 5 s of the database");
        run.WritingAgainAfter.Should().NotBeNull().And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(5), "writes succeed within 5 s of the database");
        api.Output.Should().NotContain("Unhandled exception");
    }

    /// <summary>
    /// The check above can fail: with <c>synchronous_commit=off</c> PostgreSQL acknowledges a commit before its WAL
    /// is written, a crash drops the last ones, and the same comparison must find acknowledged writes missing.
    /// A crash that lands just after the WAL writer's last write loses nothing (a few percent of crashes here),
    /// so up to three crashes are made.
    /// </summary>
    [Test]
    public async Task The_check_reports_lost_writes_when_the_database_acknowledges_commits_before_they_are_durable()
    {
        await ExecuteAsync($"ALTER DATABASE {Database} SET synchronous_commit = off");
        await using var api = await StartServingAsync();

        var crashes = new List<CrashUnderLoad>();
        do
        {
            crashes.Add(await CrashUnderLoad.RunAsync(api, Cluster, DataSource));
        }
        while (crashes[^1].Lost == 0 && crashes.Count < 3);

        Report("1b. The same crash with synchronous_commit=off (the check must see loss)", crashes[^1],
            ("crashes made (up to 3, until one loses writes)", crashes.Count));
        crashes[^1].Lost.Should().BePositive("acknowledged commits still in memory are gone after the crash");
    }

    private static void Report(string scenario, CrashUnderLoad run, params (string Figure, object Value)[] more)
    {
        var writes = run.Answers.Where(answer => answer.Method == "POST").ToList();
        var reads = run.Answers.Where(answer => answer.Method == "GET").ToList();
        FaultReport.Add(scenario,
        [
            ("writes sent", writes.Count),
            ("acknowledged writes (201)", run.AcknowledgedWrites.Count),
            ("lost acknowledged writes", run.Lost),
            ("duplicate rows", run.Duplicates),
            ("writes answered 503 but stored (commit outcome unknown to the API)", run.StoredButAnswered503),
            ("reads sent / answered 200", $"{reads.Count} / {reads.Count(read => read.Status == 200)}"),
            ("answers 503 (problem+json, Retry-After)", run.Answers.Count(answer => answer.Status == 503)),
            ("answers other than 200, 201, 503", run.Answers.Count(answer => answer.Status is not (200 or 201 or 503))),
            ("slowest answer while the database was down", run.DuringOutage.Count == 0 ? TimeSpan.Zero : run.DuringOutage.Max(answer => answer.Duration)),
            ("slowest answer overall", run.Answers.Max(answer => answer.Duration)),
            ("database down (crash to accepting connections)", run.AcceptingAt - run.CrashedAt),
            ("readiness 200 again after the database accepted connections", run.ReadyAgainAfter ?? TimeSpan.MaxValue),
            ("first acknowledged write after the database accepted connections", run.WritingAgainAfter ?? TimeSpan.MaxValue),
            ("liveness answers other than 200", run.Probes.Count(probe => probe.Live != 200)),
            .. more,
        ]);
    }
}

namespace GinoDemo.Tests.Scaling;

/// <summary>
/// Scenario 6, after all the others: behind PgBouncer in transaction mode nothing may rely on a session. What would
/// show it in the logs of every replica (those killed or replaced included) and of PgBouncer: a server-prepared
/// statement met on another connection (<c>42P05</c> already exists, <c>26000</c> does not exist), a protocol violation (not PgBouncer's <c>08P01</c> itself, the code of all its own errors, such as a server it cannot log in to during a failover),
/// a startup parameter PgBouncer refuses.
/// </summary>
[DependsOnFixture(typeof(FailoverTests), AllowFailure = true)]
public sealed class SessionFeatureErrorTests : ScalingTest
{
    private static readonly string[] SessionFeatureErrors =
        ["42P05", "26000", "prepared statement", "protocol violation", "unsupported startup parameter", "advisory lock"];

    [Test]
    public void No_replica_and_not_PgBouncer_logged_an_error_of_a_session_feature()
    {
        var logs = Topology.ReplicaLogs.Select((log, i) => ($"replica process {i + 1}", log))
            .Append(("PgBouncer", Topology.Bouncer.Output)).ToList();
        var found = logs.SelectMany(log => log.Item2.Split('\n')
                .Where(line => SessionFeatureErrors.Any(error => line.Contains(error, StringComparison.OrdinalIgnoreCase)))
                .Select(line => $"{log.Item1}: {line}"))
            .ToList();
        Report.Add("6. Session-feature errors in the logs (42P05, 26000, protocol, startup parameters)",
        [
            ("logs read (replica processes, PgBouncer)", logs.Count),
            ("lines read", logs.Sum(log => log.Item2.Split('\n').Length)),
            ("lines naming a session-feature error", found.Count),
            ("unhandled exceptions logged by the replicas", Topology.ReplicaLogs.Sum(log => log.Split('\n').Count(line => line.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase)))),
        ]);
        found.Should().BeEmpty("nothing depends on a session behind PgBouncer in transaction mode");
    }
}

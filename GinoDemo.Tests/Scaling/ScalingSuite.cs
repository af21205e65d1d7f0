using System.Diagnostics;
using GinoDemo.Tests.Faults;

namespace GinoDemo.Tests.Scaling;

/// <summary>
/// The Scaling suite's fixture (issue 13): the API published as deployed and the loopback <see cref="Topology"/>,
/// shared by the scenarios, which run in their numbered order (the failover last but for the log check, since it
/// leaves no standby); and the figures they report, written to TestResults/scaling.md (with RECORD_SCALING=1 also to
/// the "Proven on loopback" block of docs/scaling.md); every process's log goes to TestResults/scaling-logs/.
/// </summary>
[SetUpFixture]
public sealed class ScalingSuite
{
    private static Topology? _topology;
    private static string? _apiDirectory;

    public static Topology Topology => _topology ?? throw new InvalidOperationException("The Scaling suite is not set up.");

    public static FiguresReport Report { get; } =
        new("Scaling figures", "scaling.md", "scaling figures", "RECORD_SCALING", "primary + standby + publish + migrate + PgBouncer + 3 replicas + HAProxy");

    [OneTimeSetUp]
    public async Task StartTopology()
    {
        var clock = Stopwatch.StartNew();
        _apiDirectory = Directory.CreateTempSubdirectory("gino-scaling-api-").FullName;
        await FaultSuite.PublishApiAsync(_apiDirectory);
        _topology = await Topology.StartAsync(_apiDirectory);
        Report.Start(clock.Elapsed);
    }

    [OneTimeTearDown]
    public async Task StopTopology()
    {
        try
        {
            await Report.FinishAsync();
        }
        finally
        {
            try
            {
                if (_topology is not null)
                {
                    await _topology.SaveLogsAsync(Path.Combine(Path.GetDirectoryName(Report.ResultsFile)!, "scaling-logs"));
                    await _topology.DisposeAsync();
                }
            }
            finally
            {
                if (_apiDirectory is not null)
                {
                    Directory.Delete(_apiDirectory, recursive: true);
                }
            }
        }
    }
}

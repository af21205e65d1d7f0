namespace GinoDemo.Tests.Faults;

/// <summary>
/// The fault suite's figures: TestResults/reliability.md, and with RECORD_RELIABILITY=1 the figures block of
/// docs/reliability.md (see <see cref="FiguresReport"/>).
/// </summary>
public static class FaultReport
{
    private static readonly FiguresReport Report =
        new("Fault suite figures", "reliability.md", "fault-suite figures", "RECORD_RELIABILITY", "cluster + publish + migrate");

    public static string ResultsFile => Report.ResultsFile;

    public static void Start(TimeSpan setUp) => Report.Start(setUp);

    /// <summary>Adds one scenario's figures, in the order given.</summary>
    public static void Add(string scenario, params (string Figure, object Value)[] figures) => Report.Add(scenario, figures);

    public static string Seconds(TimeSpan duration) => FiguresReport.Seconds(duration);

    internal static Task FinishAsync() => Report.FinishAsync();
}

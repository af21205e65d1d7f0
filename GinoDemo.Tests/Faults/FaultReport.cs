using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Faults;

/// <summary>
/// The figures each scenario reports (acknowledged writes, lost, duplicates, recovery seconds ...), printed as they
/// come and written to TestResults/reliability.md at the end. With RECORD_RELIABILITY=1 they also replace the
/// figures block of docs/reliability.md, as UPDATE_OPENAPI_SNAPSHOT refreshes the OpenAPI contract.
/// </summary>
public static partial class FaultReport
{
    private const string BlockStart = "<!-- fault-suite figures: start -->";
    private const string BlockEnd = "<!-- fault-suite figures: end -->";
    private static readonly List<string> Sections = [];
    private static DateTime _started;
    private static TimeSpan _setUp;

    public static string ResultsFile => Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "reliability.md");

    public static void Start(TimeSpan setUp)
    {
        _started = DateTime.UtcNow;
        _setUp = setUp;
        Sections.Clear();
    }

    /// <summary>Adds one scenario's figures, in the order given.</summary>
    public static void Add(string scenario, params (string Figure, object Value)[] figures)
    {
        var section = new StringBuilder($"### {scenario}\n\n| figure | value |\n|---|---:|\n");
        foreach (var (figure, value) in figures)
        {
            section.Append(CultureInfo.InvariantCulture, $"| {figure} | {Format(value)} |\n");
        }

        lock (Sections)
        {
            Sections.Add(section.ToString());
        }

        TestContext.Progress.WriteLine(section.ToString());
    }

    public static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    internal static async Task FinishAsync()
    {
        if (Sections.Count == 0)
        {
            return;
        }

        var elapsed = DateTime.UtcNow - _started + _setUp;
        var commit = await CommitAsync();
        var block = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Run of {_started:yyyy-MM-dd HH:mm} UTC on commit `{commit}`, {Environment.ProcessorCount} cores, ")
            .Append(CultureInfo.InvariantCulture, $"{Sections.Count} scenario(s) in {elapsed.TotalSeconds:0} s ")
            .Append(CultureInfo.InvariantCulture, $"(cluster + publish + migrate: {_setUp.TotalSeconds:0} s).\n\n")
            .AppendJoin("\n", Sections.Order(StringComparer.Ordinal))
            .ToString();
        Directory.CreateDirectory(Path.GetDirectoryName(ResultsFile)!);
        File.WriteAllText(ResultsFile, "# Fault suite figures\n\n" + block);
        TestContext.Progress.WriteLine($"Fault suite figures written to {ResultsFile}");

        if (Environment.GetEnvironmentVariable("RECORD_RELIABILITY") == "1")
        {
            var document = Path.Combine(TestDatabase.RepositoryRoot, "docs", "reliability.md");
            var text = File.ReadAllText(document);
            File.WriteAllText(document, FiguresBlock().Replace(text, $"{BlockStart}\n{block}{BlockEnd}"));
        }
    }

    /// <summary>The commit measured, marked when the working tree differs from it.</summary>
    private static async Task<string> CommitAsync()
    {
        async Task<string?> GitAsync(params string[] arguments)
        {
            var git = await Command.RunAsync("git", arguments, TestDatabase.RepositoryRoot);
            return git.ExitCode == 0 ? git.Output.Trim() : null; // no git (a source tarball), or not a repository
        }

        return await GitAsync("rev-parse", "--short", "HEAD") is not { } commit ? "unknown"
            : await GitAsync("status", "--porcelain") is "" ? commit : commit + "+changes";
    }

    private static string Format(object value) => value switch
    {
        TimeSpan duration => Seconds(duration),
        double number => number.ToString("0.###", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    [GeneratedRegex($"{BlockStart}.*?{BlockEnd}", RegexOptions.Singleline)]
    private static partial Regex FiguresBlock();
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Faults;

/// <summary>
/// The figures a suite of real-process scenarios reports (acknowledged writes, lost, duplicates, recovery seconds ...),
/// printed as they come and written to <c>TestResults/&lt;file&gt;</c> at the end. With <c>RECORD_...=1</c> they also
/// replace the figures block (<c>&lt;!-- name: start --&gt;</c> ... <c>&lt;!-- name: end --&gt;</c>) of the document in
/// docs/, as UPDATE_OPENAPI_SNAPSHOT refreshes the OpenAPI contract.
/// </summary>
/// <param name="title">The heading of the results file.</param>
/// <param name="fileName">The file's name, in TestResults/ and in docs/.</param>
/// <param name="blockName">The name in the block's markers.</param>
/// <param name="recordVariable">The environment variable that, set to 1, rewrites the block in docs/.</param>
/// <param name="setUpName">What the set-up time covers, as the summary line says it.</param>
public sealed partial class FiguresReport(string title, string fileName, string blockName, string recordVariable, string setUpName)
{
    private readonly List<string> _sections = [];
    private DateTime _started;
    private TimeSpan _setUp;

    public string ResultsFile => Path.Combine(TestDatabase.RepositoryRoot, "TestResults", fileName);

    public static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    public void Start(TimeSpan setUp)
    {
        _started = DateTime.UtcNow;
        _setUp = setUp;
        lock (_sections)
        {
            _sections.Clear();
        }
    }

    /// <summary>Adds one scenario's figures, in the order given.</summary>
    public void Add(string scenario, params (string Figure, object Value)[] figures)
    {
        var section = new StringBuilder($"### {scenario}\n\n| figure | value |\n|---|---:|\n");
        foreach (var (figure, value) in figures)
        {
            section.Append(CultureInfo.InvariantCulture, $"| {figure} | {Format(value)} |\n");
        }

        lock (_sections)
        {
            _sections.Add(section.ToString());
        }

        TestContext.Progress.WriteLine(section.ToString());
    }

    public async Task FinishAsync()
    {
        string[] sections;
        lock (_sections)
        {
            sections = [.. _sections.Order(StringComparer.Ordinal)];
        }

        if (sections.Length == 0)
        {
            return;
        }

        var elapsed = DateTime.UtcNow - _started + _setUp;
        var commit = await CommitAsync();
        var block = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Run of {_started:yyyy-MM-dd HH:mm} UTC on commit `{commit}`, {Environment.ProcessorCount} cores{LoadAverage()}, ")
            .Append(CultureInfo.InvariantCulture, $"{sections.Length} scenario(s) in {elapsed.TotalSeconds:0} s ")
            .Append(CultureInfo.InvariantCulture, $"({setUpName}: {_setUp.TotalSeconds:0} s).\n\n")
            .AppendJoin("\n", sections)
            .ToString();
        Directory.CreateDirectory(Path.GetDirectoryName(ResultsFile)!);
        await File.WriteAllTextAsync(ResultsFile, $"# {title}\n\n" + block);
        TestContext.Progress.WriteLine($"{title} written to {ResultsFile}");

        if (Environment.GetEnvironmentVariable(recordVariable) == "1")
        {
            var document = Path.Combine(TestDatabase.RepositoryRoot, "docs", fileName);
            var text = await File.ReadAllTextAsync(document);
            var start = $"<!-- {blockName}: start -->";
            var end = $"<!-- {blockName}: end -->";
            var figures = new Regex($"{Regex.Escape(start)}.*?{Regex.Escape(end)}", RegexOptions.Singleline);
            figures.IsMatch(text).Should().BeTrue($"docs/{fileName} keeps the figures between {start} and {end}");
            await File.WriteAllTextAsync(document, figures.Replace(text, $"{start}\n{block}{end}"));
        }
    }

    /// <summary>The machine's load when the figures were written (Linux), since other work on it slows every figure.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? $" (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})" : "";

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
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GinoDemo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GinoDemo.Tests;

/// <summary>
/// README.md's curl session, pasted as a reader would: the block after the
/// <c>&lt;!-- ReadmeExampleTests</c> marker runs with bash against a real Kestrel on a new database (so ids start at
/// 1, as on a reader's first run), and every answer must be the one written under its command: the same status line,
/// each header line written there among the answer's headers, and the same body (none when none is written).
/// <c>…</c> in a written line stands for any text (an ETag, a trace id, a timing).
/// </summary>
[NonParallelizable]
public sealed partial class ReadmeExampleTests
{
    private const string Marker = "<!-- ReadmeExampleTests";
    private const string DocumentedAddress = "http://127.0.0.1:8000";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>One command (continuation lines joined) and the answer written under it.</summary>
    private sealed record Step(string Command, IReadOnlyList<string> Answer);

    [Test]
    public async Task The_readme_curl_session_answers_what_the_readme_says()
    {
        var steps = DocumentedSteps();
        steps.Count(step => step.Answer.Count > 0).Should().BeGreaterThan(10, "the README's session is found and has its answers");

        await using var database = new ScratchDatabase();
        await using (var db = database.CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        await using var api = new ApiFactory(new Dictionary<string, string?> { ["DB_DSN"] = database.Dsn }, useKestrel: true);
        api.StartServer();
        var address = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');

        var outputs = await RunAsync(steps, address);

        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Answer.Count > 0)
            {
                ShouldMatch(steps[i], outputs[i]);
            }
        }
    }

    private static List<Step> DocumentedSteps()
    {
        var lines = File.ReadAllLines(Path.Combine(TestDatabase.RepositoryRoot, "README.md"));
        var start = Array.FindIndex(lines, line => line.StartsWith(Marker, StringComparison.Ordinal));
        start.Should().BeGreaterThanOrEqualTo(0, "README.md has the {0} marker before its curl session", Marker);
        lines[start + 1].Should().Be("```sh", "the marker is right above the block it names");

        var steps = new List<Step>();
        var command = new StringBuilder();
        List<string>? answer = null;
        foreach (var line in lines.Skip(start + 2).TakeWhile(line => line != "```"))
        {
            if (line.StartsWith('#'))
            {
                answer!.Add(line.Length > 1 ? line[2..] : "");
            }
            else if (command.Length > 0 && command.ToString().EndsWith('\\'))
            {
                command.Append('\n').Append(line);
            }
            else
            {
                if (command.Length > 0)
                {
                    steps.Add(new Step(command.ToString(), answer!));
                }

                command.Clear().Append(line);
                answer = [];
            }
        }

        steps.Add(new Step(command.ToString(), answer!));
        return steps;
    }

    /// <summary>The whole session in one bash (its variables carry from one command to the next), split by step.</summary>
    private static async Task<string[]> RunAsync(List<Step> steps, string address)
    {
        var script = new StringBuilder("set -u\n");
        for (var i = 0; i < steps.Count; i++)
        {
            script.Append(CultureInfo.InvariantCulture, $"printf '\\n@@step {i}@@\\n'\n").Append(steps[i].Command.Replace(DocumentedAddress, address, StringComparison.Ordinal)).Append('\n');
        }

        var start = new ProcessStartInfo("bash", ["-c", script.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        var text = await output;
        process.ExitCode.Should().Be(0, "every command of the session runs:\n{0}\n{1}", text, await errors);

        var parts = StepSeparator().Split(text);
        parts.Should().HaveCount(steps.Count + 1, text);
        return parts[1..];
    }

    private static void ShouldMatch(Step step, string output)
    {
        // curl -i: the status line, the header lines, an empty line, the body (no line break after it).
        var answer = output.Replace("\r", "", StringComparison.Ordinal).TrimStart('\n');
        var split = answer.IndexOf("\n\n", StringComparison.Ordinal);
        split.Should().BeGreaterThan(0, "{0} answers with a status line and headers:\n{1}", step.Command, output);
        var head = answer[..split].Split('\n');
        var body = answer[(split + 2)..].TrimEnd('\n');

        var written = step.Answer.Where(line => line.Length > 0).ToList();
        var writtenBody = written.Count > 1 && written[^1].StartsWith('{') ? written[^1] : null;
        var because = $"README.md says so under `{step.Command}`; it answered:\n{answer}";

        Matches(written[0], head[0]).Should().BeTrue(because);
        foreach (var header in written.Skip(1).Where(line => line != writtenBody))
        {
            head.Skip(1).Should().Contain(line => Matches(header, line), because);
        }

        if (writtenBody is null)
        {
            body.Should().BeEmpty(because);
        }
        else
        {
            Matches(writtenBody, body).Should().BeTrue(because);
        }
    }

    /// <summary>The written line with each <c>…</c> standing for any text.</summary>
    private static bool Matches(string written, string actual) =>
        Regex.IsMatch(actual, "^" + string.Join(".*", written.Split('…').Select(Regex.Escape)) + "$", RegexOptions.None, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"\n?@@step \d+@@\n")]
    private static partial Regex StepSeparator();
}

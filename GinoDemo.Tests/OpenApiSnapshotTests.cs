using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GinoDemo.Tests;

/// <summary>
/// The API contract as reviewers see it: the served <c>/openapi.json</c> must equal the committed
/// <c>docs/openapi.json</c>. <c>UPDATE_OPENAPI_SNAPSHOT=1</c> rewrites the file instead, for a change that is meant.
/// </summary>
public sealed class OpenApiSnapshotTests
{
    public const string UpdateVariable = "UPDATE_OPENAPI_SNAPSHOT";

    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Written as served: "<", ">", "'" and non-ASCII text stay readable in a diff.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string SnapshotPath => Path.Combine(TestDatabase.RepositoryRoot, "docs", "openapi.json");

    [Test]
    public async Task The_served_document_is_the_committed_snapshot()
    {
        using var client = TestDatabase.Api.CreateClient();
        var served = Normalize(await client.GetStringAsync("/openapi.json"));

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(SnapshotPath)!);
            await File.WriteAllTextAsync(SnapshotPath, served, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            Assert.Pass($"{UpdateVariable}=1: wrote {SnapshotPath}; review and commit it.");
        }

        File.Exists(SnapshotPath).Should().BeTrue(
            $"the contract snapshot {SnapshotPath} is committed (create it with {UpdateVariable}=1 scripts/test.sh --filter OpenApiSnapshotTests)");
        var committed = (await File.ReadAllTextAsync(SnapshotPath)).ReplaceLineEndings("\n");
        if (committed != served)
        {
            Assert.Fail(Difference(committed, served) +
                $"\n\nThe served /openapi.json differs from docs/openapi.json. If the API change is meant, refresh the snapshot with\n" +
                $"  {UpdateVariable}=1 scripts/test.sh --filter OpenApiSnapshotTests\nand commit docs/openapi.json with the change.");
        }
    }

    [Test]
    public void A_difference_is_shown_from_its_first_line()
    {
        var message = Difference("one\ntwo\nthree\nfour\n", "one\ntwo\nTHREE\nfour\n");

        message.Should().StartWith("First difference at line 3 of docs/openapi.json:\n  one\n  two\n- three\n+ THREE\n(");
    }

    /// <summary>The document as it is committed: two-space indentation, LF, a final newline, members in served order.</summary>
    public static string Normalize(string json) => JsonNode.Parse(json)!.ToJsonString(Pretty) + "\n";

    /// <summary>The first differing line of the two texts, with a little context, as a diff reader would show it.</summary>
    public static string Difference(string committed, string served)
    {
        var expected = committed.Split('\n');
        var actual = served.Split('\n');
        var line = 0;
        while (line < expected.Length && line < actual.Length && expected[line] == actual[line])
        {
            line++;
        }

        // Lines equal at the end are not part of the change.
        var same = 0;
        while (same < expected.Length - line && same < actual.Length - line && expected[^(same + 1)] == actual[^(same + 1)])
        {
            same++;
        }

        var text = new StringBuilder($"First difference at line {line + 1} of docs/openapi.json:\n");
        foreach (var context in expected[Math.Max(0, line - 2)..line])
        {
            text.Append("  ").Append(context).Append('\n');
        }

        foreach (var removed in expected[line..(expected.Length - same)].Take(10))
        {
            text.Append("- ").Append(removed).Append('\n');
        }

        foreach (var added in actual[line..(actual.Length - same)].Take(10))
        {
            text.Append("+ ").Append(added).Append('\n');
        }

        return text.Append(CultureInfo.InvariantCulture, $"(- committed, {expected.Length} lines; + served, {actual.Length} lines)").ToString();
    }
}

using Microsoft.Extensions.Configuration;

namespace GinoDemo.Data.Configuration;

/// <summary>
/// Reads a <c>.env</c> file the way Starlette's <c>Config</c> does: <c>KEY=value</c> lines, <c>#</c> comments,
/// surrounding quotes stripped. An optional <c>export </c> prefix is accepted so the file can be sourced by a shell.
/// Where Starlette skips a line that is not <c>KEY=value</c>, this records its number under
/// <see cref="MalformedLinesKey"/> so that startup reports it with the other bad settings.
/// </summary>
public sealed class DotEnvConfigurationProvider(DotEnvConfigurationSource source) : FileConfigurationProvider(source)
{
    public const string MalformedLinesKey = "DOTENV_MALFORMED_LINES";

    public override void Load(Stream stream)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var malformed = new List<int>();
        using var reader = new StreamReader(stream);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            if (text.StartsWith("export ", StringComparison.Ordinal))
            {
                text = text["export ".Length..].TrimStart();
            }

            var separator = text.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                malformed.Add(lineNumber);
                continue;
            }

            // Same key normalisation as environment variables, so DB__X and DB:X mean the same in both.
            var key = text[..separator].Trim().Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            data[key] = Unquote(text[(separator + 1)..].Trim());
        }

        if (malformed.Count > 0)
        {
            data[MalformedLinesKey] = string.Join(", ", malformed);
        }

        Data = data;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0] ? value[1..^1] : value;
}

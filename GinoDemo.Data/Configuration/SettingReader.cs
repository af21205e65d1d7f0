using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace GinoDemo.Data.Configuration;

/// <summary>Typed reads of flat keys that collect every failure, so one start reports all of them.</summary>
internal sealed class SettingReader(IConfiguration configuration)
{
    private readonly List<string> _failures = [];

    /// <summary>An empty value counts as unset, as in a <c>.env</c> line <c>DB_DSN=</c>.</summary>
    public string? Optional(string key) => configuration[key] is { Length: > 0 } value ? value : null;

    /// <summary>
    /// Whether <paramref name="key"/> is set somewhere other than <c>appsettings.json</c>'s defaults (the environment,
    /// <c>.env</c>, the command line, a test's settings): only such a key replaces a value written in <c>DB_DSN</c>.
    /// A configuration that is not a root (its sources unknown) counts every value it has as explicit.
    /// </summary>
    public bool IsExplicit(string key) =>
        Optional(key) is not null && (configuration is not IConfigurationRoot root || IsSetOutsideDefaults(root, key));

    private static bool IsSetOutsideDefaults(IConfigurationRoot root, string key) =>
        root.Providers.Any(provider => provider switch
        {
            FileConfigurationProvider { Source: DefaultsFileConfigurationSource } => false,
            ChainedConfigurationProvider { Configuration: IConfigurationRoot chained } => IsSetOutsideDefaults(chained, key),
            _ => provider.TryGet(key, out var value) && !string.IsNullOrEmpty(value),
        });

    public string Required(string key)
    {
        if (Optional(key) is { } value)
        {
            return value;
        }

        Fail(key, "is empty or missing; appsettings.json gives every key a default.");
        return "";
    }

    public int Int(string key, int min, int max)
    {
        var text = Required(key);
        if (text.Length == 0)
        {
            return min;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            Fail(key, $"'{text}' is not a whole number.");
            return min;
        }

        if (value < min || value > max)
        {
            Fail(key, $"{value} is outside {min}..{max}.");
            return min;
        }

        return value;
    }

    public bool Bool(string key)
    {
        var text = Required(key);
        if (TryParseBool(text, out var value))
        {
            return value;
        }

        Fail(key, $"'{text}' is not a boolean (true, false, 1 or 0).");
        return false;
    }

    /// <summary>Starlette's booleans: true, false, 1 or 0, any case; empty is false.</summary>
    public static bool TryParseBool(string? text, out bool value)
    {
        value = text?.ToUpperInvariant() is "TRUE" or "1";
        return value || text?.ToUpperInvariant() is null or "" or "FALSE" or "0";
    }

    public bool HasFailed => _failures.Count > 0;

    public void Fail(string key, string problem) => _failures.Add($"{key}: {problem}");

    public void ThrowIfFailed()
    {
        if (_failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DatabaseOptions), _failures);
        }
    }
}

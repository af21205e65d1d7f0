using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GinoDemo.ManifestCheck;

/// <summary>
/// A YAML node as the JSON the API server receives. kubectl converts YAML with sigs.k8s.io/yaml (go-yaml v2, YAML 1.1),
/// so an unquoted <c>on</c>, <c>yes</c> or <c>off</c> is a boolean there and a quoted <c>"5"</c> a string: the same
/// typing is applied here, so that a schema's <c>type: string</c> catches what the cluster would refuse.
/// Remembers where each JSON token came from, for messages with line numbers.
/// </summary>
public sealed partial class YamlJson
{
    private readonly Dictionary<JToken, Mark> _marks = new(ReferenceEqualityComparer.Instance);

    public JToken Convert(YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        JToken token = node switch
        {
            YamlMappingNode mapping => ConvertMapping(mapping),
            YamlSequenceNode sequence => new JArray(sequence.Children.Select(Convert)),
            YamlScalarNode scalar => ConvertScalar(scalar),
            _ => throw new YamlException(node.Start, node.End, $"unsupported YAML node {node.NodeType}"),
        };
        _marks[token] = node.Start;
        return token;
    }

    /// <summary>The 1-based line of the token at <paramref name="path"/> (JSON.NET's path syntax) or of its nearest parent.</summary>
    public int LineOf(JToken root, string path)
    {
        ArgumentNullException.ThrowIfNull(root);
        for (var candidate = path; ; candidate = Parent(candidate))
        {
            var token = candidate.Length == 0 ? root : root.SelectToken(candidate, errorWhenNoMatch: false);
            if (token is not null && _marks.TryGetValue(token, out var mark))
            {
                return (int)mark.Line;
            }

            if (candidate.Length == 0)
            {
                return 0;
            }
        }
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? string.Empty : path[..cut];
    }

    private JObject ConvertMapping(YamlMappingNode mapping)
    {
        var result = new JObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value ?? string.Empty
                : throw new YamlException(key.Start, key.End, "a mapping key must be a plain string");
            if (name == "<<")
            {
                throw new YamlException(key.Start, key.End, "YAML merge keys (<<) are not supported by this check: write the fields out");
            }

            if (result.ContainsKey(name))
            {
                throw new YamlException(key.Start, key.End, $"duplicate key \"{name}\"");
            }

            var property = new JProperty(name, Convert(value));
            result.Add(property);
        }

        return result;
    }

    private static JValue ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag == "tag:yaml.org,2002:str" || (tag is null && scalar.Style != YamlDotNet.Core.ScalarStyle.Plain))
        {
            return new JValue(text);
        }

        if (NullPattern().IsMatch(text))
        {
            return JValue.CreateNull();
        }

        if (TruePattern().IsMatch(text))
        {
            return new JValue(true);
        }

        if (FalsePattern().IsMatch(text))
        {
            return new JValue(false);
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return new JValue(integer);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return new JValue(number);
        }

        return new JValue(text);
    }

    // go-yaml v2's resolve table (YAML 1.1): what an unquoted scalar becomes.
    [GeneratedRegex("^(~|null|Null|NULL|)$")]
    private static partial Regex NullPattern();

    [GeneratedRegex("^(y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$")]
    private static partial Regex TruePattern();

    [GeneratedRegex("^(n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$")]
    private static partial Regex FalsePattern();

    [GeneratedRegex("^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?\.[0-9]+([eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")]
    private static partial Regex FloatPattern();
}

using System.Text.RegularExpressions;

namespace GinoDemo.Api.Validation;

/// <summary>
/// Validation errors as a client reads them: keyed by the field as it is spelled in the JSON (<c>name</c>, not
/// <c>$.name</c>; <c>body</c> for the body as a whole), in words that name JSON types, not .NET ones.
/// </summary>
internal static partial class ValidationErrors
{
    public static void Normalize(IDictionary<string, string[]> errors)
    {
        var normalized = errors.GroupBy(error => FieldName(error.Key), error => error.Value)
            .ToDictionary(group => group.Key, group => group.SelectMany(messages => messages).Select(Describe).Distinct().ToArray());
        errors.Clear();
        foreach (var (field, messages) in normalized)
        {
            errors[field] = messages;
        }
    }

    private static string FieldName(string key) => key switch
    {
        "" or "$" => "body",
        _ when key.StartsWith("$.", StringComparison.Ordinal) => key[2..],
        _ => key,
    };

    private static string Describe(string message)
    {
        message = JsonPosition().Replace(message, "");
        if (UnconvertibleValue().Match(message) is { Success: true } unconvertible)
        {
            return $"Expected {JsonType(unconvertible.Groups["type"].Value)}.";
        }

        if (UnknownProperty().Match(message) is { Success: true } unknown)
        {
            return $"'{unknown.Groups["name"].Value}' is not a field of this request.";
        }

        if (DuplicateProperty().Match(message) is { Success: true } duplicate)
        {
            return $"'{duplicate.Groups["name"].Value}' is given more than once.";
        }

        return message;
    }

    private static string JsonType(string dotnetType) => dotnetType switch
    {
        "System.String" => "a JSON string",
        "System.Int64" or "System.Int32" => "a JSON integer",
        "System.Boolean" => "true or false",
        _ => "a JSON object",
    };

    [GeneratedRegex(@"\s*Path: \S* \| LineNumber: \d+ \| BytePositionInLine: \d+\.")]
    private static partial Regex JsonPosition();

    [GeneratedRegex(@"^The JSON value could not be converted to (?<type>[\w.`\[\],]+)\.")]
    private static partial Regex UnconvertibleValue();

    [GeneratedRegex(@"^The JSON property '(?<name>[^']*)' could not be mapped")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex(@"^Duplicate property '(?<name>[^']*)'")]
    private static partial Regex DuplicateProperty();
}

using System.Collections;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using Newtonsoft.Json.Linq;

namespace GinoDemo.ManifestCheck;

/// <summary>
/// Holds a built-in kind's JSON to the Go types the API server decodes it into, through KubernetesClient's models
/// (one property per field, named by <see cref="JsonPropertyNameAttribute"/>). The YAML loading alone converts
/// <c>replicas: "2"</c> to a number and <c>value: on</c> to a string, both of which the API server refuses
/// ("cannot unmarshal string into ... of type int32"); here a string is only a string, a number a number, a boolean a
/// boolean, with the two kinds that take either (<see cref="IntOrString"/>, <see cref="ResourceQuantity"/>).
/// </summary>
public static class JsonTypeCheck
{
    /// <summary>Each mismatch as (JSON path, message); empty when <paramref name="token"/> decodes into <paramref name="type"/>.</summary>
    public static IEnumerable<(string Path, string Message)> Check(JToken token, Type type)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (token.Type == JTokenType.Null || type == typeof(object))
        {
            yield break;
        }

        var expected = Expected(type);
        if (expected is not null)
        {
            if (!expected.Value.Accepts.Contains(token.Type))
            {
                yield return (token.Path, $"{Shown(token)} is {Article(token.Type)}, where Kubernetes expects {expected.Value.Name}");
            }

            yield break;
        }

        if (Dictionary(type) is { } valueType)
        {
            if (token is not JObject map)
            {
                yield return (token.Path, $"{Shown(token)} is {Article(token.Type)}, where Kubernetes expects a map");
                yield break;
            }

            foreach (var mismatch in map.Properties().SelectMany(property => Check(property.Value, valueType)))
            {
                yield return mismatch;
            }

            yield break;
        }

        if (List(type) is { } itemType)
        {
            if (token is not JArray array)
            {
                yield return (token.Path, $"{Shown(token)} is {Article(token.Type)}, where Kubernetes expects a list");
                yield break;
            }

            foreach (var mismatch in array.SelectMany(item => Check(item, itemType)))
            {
                yield return mismatch;
            }

            yield break;
        }

        if (token is not JObject fields)
        {
            yield return (token.Path, $"{Shown(token)} is {Article(token.Type)}, where Kubernetes expects an object ({type.Name})");
            yield break;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(property => (Property: property, Name: property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(pair => pair.Name is not null)
            .ToDictionary(pair => pair.Name!, pair => pair.Property.PropertyType, StringComparer.Ordinal);
        foreach (var field in fields.Properties())
        {
            if (!properties.TryGetValue(field.Name, out var fieldType))
            {
                yield return (field.Path, $"unknown field \"{field.Name}\" in {type.Name}");
                continue;
            }

            foreach (var mismatch in Check(field.Value, fieldType))
            {
                yield return mismatch;
            }
        }
    }

    private static (string Name, JTokenType[] Accepts)? Expected(Type type)
    {
        if (type == typeof(string) || type == typeof(byte[]) || type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return ("a string", [JTokenType.String]);
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return ("an integer", [JTokenType.Integer]);
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return ("a number", [JTokenType.Integer, JTokenType.Float]);
        }

        if (type == typeof(bool))
        {
            return ("a boolean (true or false)", [JTokenType.Boolean]);
        }

        if (type == typeof(IntOrString))
        {
            return ("an integer or a string", [JTokenType.Integer, JTokenType.String]);
        }

        if (type == typeof(ResourceQuantity))
        {
            return ("a quantity (a number or a string such as 500m)", [JTokenType.Integer, JTokenType.Float, JTokenType.String]);
        }

        return null;
    }

    private static Type? Dictionary(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string)
        && typeof(IDictionary<,>).MakeGenericType(key, value).IsAssignableFrom(type) ? value
        : type.GetInterfaces().Concat([type]).FirstOrDefault(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            ?.GetGenericArguments()[1];

    private static Type? List(Type type) =>
        type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type) ? null
        : type.GetInterfaces().Concat([type]).FirstOrDefault(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ?.GetGenericArguments()[0];

    private static string Shown(JToken token) => token.ToString(Newtonsoft.Json.Formatting.None);

    private static string Article(JTokenType type) => type switch
    {
        JTokenType.Integer => "an integer",
        JTokenType.Float => "a number",
        JTokenType.String => "a string",
        JTokenType.Boolean => "a boolean",
        JTokenType.Array => "a list",
        JTokenType.Object => "an object",
        _ => type.ToString().ToLowerInvariant(),
    };
}

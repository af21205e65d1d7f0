using NJsonSchema;

namespace GinoDemo.ManifestCheck;

/// <summary>
/// One served version of a custom kind: its strict schema, how many objects refuse unknown fields, and how many CEL
/// rules (<c>x-kubernetes-validations</c>) it carries, which only the API server evaluates.
/// </summary>
public sealed record CrdSchema(string ApiVersion, string Kind, string File, JsonSchema Schema, int StrictObjects, int CelRules);

using Newtonsoft.Json.Linq;

namespace GinoDemo.ManifestCheck;

/// <summary>
/// Makes a CRD's <c>openAPIV3Schema</c> refuse what the API server would drop. A CRD schema is structural
/// (Kubernetes documentation, "Extend the Kubernetes API with CustomResourceDefinitions", sections "Specifying a
/// structural schema" and "Field pruning"): every field not declared under an object is pruned, unless the object has
/// <c>x-kubernetes-preserve-unknown-fields: true</c> or <c>additionalProperties</c>. A pruned field is a mistake
/// that is silently ignored (or refused by <c>kubectl apply --validate=strict</c>), so here it is an error: such objects
/// get <c>additionalProperties: false</c>. The root's <c>metadata</c> is left alone: the API server checks it as
/// <c>ObjectMeta</c>, which the strict typed loading does here (<see cref="CustomResource"/>).
/// </summary>
public static class StructuralSchema
{
    private static readonly string[] Junctors = ["allOf", "anyOf", "oneOf", "not"];

    /// <summary>Tightens <paramref name="schema"/> in place; returns how many objects now refuse unknown fields.</summary>
    public static int Tighten(JObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Walk(schema, isRoot: true);
    }

    private static int Walk(JObject node, bool isRoot)
    {
        var count = 0;
        if (node["properties"] is JObject properties)
        {
            foreach (var property in properties.Properties())
            {
                if (property.Value is JObject child && !(isRoot && property.Name == "metadata"))
                {
                    count += Walk(child, isRoot: false);
                }
            }
        }

        if (node["items"] is JObject items)
        {
            count += Walk(items, isRoot: false);
        }

        if (node["additionalProperties"] is JObject additional)
        {
            count += Walk(additional, isRoot: false);
        }

        foreach (var junctor in Junctors)
        {
            switch (node[junctor])
            {
                case JArray branches:
                    count += branches.OfType<JObject>().Sum(branch => Walk(branch, isRoot: false));
                    break;
                case JObject branch:
                    count += Walk(branch, isRoot: false);
                    break;
            }
        }

        if ((string?)node["type"] == "object" && node["additionalProperties"] is null
            && !IsTrue(node, "x-kubernetes-preserve-unknown-fields") && !IsTrue(node, "x-kubernetes-embedded-resource"))
        {
            node["additionalProperties"] = false;
            count++;
        }

        return count;
    }

    private static bool IsTrue(JObject node, string name) => node[name] is JValue { Type: JTokenType.Boolean } value && (bool)value;
}

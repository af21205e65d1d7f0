using Newtonsoft.Json.Linq;

namespace GinoDemo.ManifestCheck;

/// <summary>
/// One YAML document of a manifest file. <see cref="Model"/> is the typed KubernetesClient object for a built-in kind
/// (<c>V1Deployment</c>...), or a <see cref="CustomResource"/> for a kind defined by a vendored CRD;
/// <see cref="Json"/> is the same document as the API server reads it (YAML 1.1 scalars typed as sigs.k8s.io/yaml does).
/// </summary>
public sealed record ManifestDocument(string File, int Line, string ApiVersion, string Kind, string Name, object Model, JObject Json)
{
    public override string ToString() => $"{File}:{Line}: {ApiVersion} {Kind} {Name}";
}

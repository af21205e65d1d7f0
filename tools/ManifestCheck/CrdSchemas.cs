using Newtonsoft.Json.Linq;
using NJsonSchema;
using YamlDotNet.RepresentationModel;

namespace GinoDemo.ManifestCheck;

/// <summary>
/// The custom kinds the manifests may use: every served version of every <c>CustomResourceDefinition</c> in a folder
/// (the vendored <c>crds/</c>), keyed <c>group/version/Kind</c> as <c>apiVersion/kind</c> reads, with its
/// <c>openAPIV3Schema</c> made strict by <see cref="StructuralSchema"/>.
/// </summary>
public sealed class CrdSchemas
{
    private readonly Dictionary<string, CrdSchema> _schemas;

    private CrdSchemas(Dictionary<string, CrdSchema> schemas) => _schemas = schemas;

    public IReadOnlyCollection<string> Kinds => _schemas.Keys;

    public IEnumerable<CrdSchema> All => _schemas.Values;

    public bool TryGet(string apiVersion, string kind, out CrdSchema schema) =>
        _schemas.TryGetValue($"{apiVersion}/{kind}", out schema!);

    /// <summary>Loads every <c>*.yaml</c> CRD of <paramref name="folder"/>; throws <see cref="InvalidDataException"/> on one it cannot read.</summary>
    public static async Task<CrdSchemas> LoadAsync(string folder, CancellationToken cancellationToken = default)
    {
        var schemas = new Dictionary<string, CrdSchema>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                stream.Load(reader);
            }

            foreach (var document in stream.Documents)
            {
                var crd = (JObject)new YamlJson().Convert(document.RootNode);
                if ((string?)crd["kind"] != "CustomResourceDefinition")
                {
                    throw new InvalidDataException($"{file}: not a CustomResourceDefinition");
                }

                var group = (string?)crd.SelectToken("spec.group") ?? throw new InvalidDataException($"{file}: no spec.group");
                var kind = (string?)crd.SelectToken("spec.names.kind") ?? throw new InvalidDataException($"{file}: no spec.names.kind");
                foreach (var version in crd.SelectToken("spec.versions")?.OfType<JObject>() ?? [])
                {
                    if ((bool?)version["served"] == false)
                    {
                        continue;
                    }

                    var name = (string?)version["name"] ?? throw new InvalidDataException($"{file}: a version without a name");
                    var openApi = version.SelectToken("schema.openAPIV3Schema") as JObject
                        ?? throw new InvalidDataException($"{file}: {kind} {name} has no openAPIV3Schema");
                    var strict = (JObject)openApi.DeepClone();
                    var tightened = StructuralSchema.Tighten(strict);
                    var rules = openApi.SelectTokens("..x-kubernetes-validations").Sum(token => token is JArray array ? array.Count : 0);
                    var schema = await JsonSchema.FromJsonAsync(strict.ToString(), cancellationToken).ConfigureAwait(false);
                    schemas[$"{group}/{name}/{kind}"] = new CrdSchema($"{group}/{name}", kind, Path.GetFileName(file), schema, tightened, rules);
                }
            }
        }

        return new CrdSchemas(schemas);
    }
}

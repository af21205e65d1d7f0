using System.Reflection;
using k8s;
using k8s.Models;
using Newtonsoft.Json.Linq;
using NJsonSchema.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace GinoDemo.ManifestCheck;

/// <summary>
/// Checks every <c>*.yaml</c> manifest of a folder offline, as strictly as <c>kubectl apply --validate=strict</c>:
/// <list type="bullet">
/// <item>Kubernetes' own kinds are loaded into KubernetesClient's typed models with <c>strict: true</c>
/// (<see cref="KubernetesYaml.LoadAllFromString"/>): an unknown or misspelled field, a duplicate key, or a value of
/// the wrong type fails, and <see cref="JsonTypeCheck"/> holds each value to the JSON type the API server decodes.
/// The models carry no "required" marks, so a missing required field is left to the API server.</item>
/// <item>Custom kinds (CloudNativePG's <c>Cluster</c>, <c>Pooler</c>) are checked against their CRD's
/// <c>openAPIV3Schema</c> (<see cref="CrdSchemas"/>): types, enums, required fields, minimums, patterns, and unknown
/// fields anywhere the API server would prune them. CEL rules (<c>x-kubernetes-validations</c>) are not evaluated.</item>
/// <item><c>kustomization.yaml</c>, when present, must list exactly the folder's manifests.</item>
/// </list>
/// </summary>
public static class ManifestValidator
{
    public const string KustomizationFile = "kustomization.yaml";

    private static readonly Dictionary<string, Type> BuiltInKinds = typeof(KubernetesEntityAttribute).Assembly.GetTypes()
        .Select(type => (Type: type, Entity: type.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(pair => pair.Entity is not null)
        .ToDictionary(
            pair => $"{(string.IsNullOrEmpty(pair.Entity!.Group) ? string.Empty : pair.Entity.Group + "/")}{pair.Entity.ApiVersion}/{pair.Entity.Kind}",
            pair => pair.Type,
            StringComparer.Ordinal);

    private static readonly IDeserializer StrictKustomization = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithDuplicateKeyChecking()
        .Build();

    /// <summary>Validates the manifests of <paramref name="folder"/> against the CRDs in <paramref name="crds"/>.</summary>
    public static ManifestReport Validate(string folder, CrdSchemas crds)
    {
        ArgumentNullException.ThrowIfNull(crds);
        var documents = new List<ManifestDocument>();
        var problems = new List<ManifestProblem>();
        var files = Directory.EnumerateFiles(folder)
            .Where(file => file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(file => file != KustomizationFile)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            problems.Add(new ManifestProblem(folder, 0, "no *.yaml manifests"));
        }

        foreach (var file in files)
        {
            ValidateFile(folder, file, crds, documents, problems);
        }

        if (File.Exists(Path.Combine(folder, KustomizationFile)))
        {
            ValidateKustomization(folder, files, documents, problems);
        }

        return new ManifestReport(documents, problems);
    }

    private static void ValidateFile(string folder, string file, CrdSchemas crds, List<ManifestDocument> documents, List<ManifestProblem> problems)
    {
        var text = File.ReadAllText(Path.Combine(folder, file));
        var parsed = new List<(JObject Json, YamlJson Marks, int Line)>();
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            foreach (var document in stream.Documents)
            {
                var marks = new YamlJson();
                if (marks.Convert(document.RootNode) is not JObject json)
                {
                    problems.Add(new ManifestProblem(file, (int)document.RootNode.Start.Line, "a manifest must be a mapping with apiVersion, kind and metadata"));
                    return;
                }

                parsed.Add((json, marks, (int)document.RootNode.Start.Line));
            }
        }
        catch (YamlException exception)
        {
            problems.Add(new ManifestProblem(file, (int)exception.Start.Line, Innermost(exception)));
            return;
        }

        if (parsed.Count == 0)
        {
            problems.Add(new ManifestProblem(file, 0, "no YAML document"));
            return;
        }

        // Which type each document loads as; a kind neither Kubernetes nor a vendored CRD defines stops the file here.
        var typeMap = new Dictionary<string, Type>(StringComparer.Ordinal);
        var known = true;
        foreach (var (json, _, line) in parsed)
        {
            var apiVersion = (string?)json["apiVersion"];
            var kind = (string?)json["kind"];
            var key = $"{apiVersion}/{kind}";
            if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
            {
                problems.Add(new ManifestProblem(file, line, "apiVersion and kind are required"));
                known = false;
            }
            else if (crds.TryGet(apiVersion, kind, out _))
            {
                typeMap[key] = typeof(CustomResource);
            }
            else if (BuiltInKinds.TryGetValue(key, out var type))
            {
                typeMap[key] = type;
            }
            else
            {
                problems.Add(new ManifestProblem(file, line,
                    $"unknown kind \"{kind}\" in \"{apiVersion}\": not a Kubernetes kind of KubernetesClient's models nor a kind of the vendored CRDs ({string.Join(", ", crds.Kinds)})"));
                known = false;
            }
        }

        if (!known)
        {
            return;
        }

        // The strict typed loading of the whole file (so that its line numbers are the file's): unknown fields,
        // duplicate keys, values that do not convert. The first such error stops it; the CRD checks below still run.
        List<object>? models = null;
        try
        {
            models = KubernetesYaml.LoadAllFromString(text, typeMap, strict: true);
        }
        catch (YamlException exception)
        {
            problems.Add(new ManifestProblem(file, (int)exception.Start.Line, Innermost(exception)));
        }

        for (var index = 0; index < parsed.Count; index++)
        {
            var (json, marks, line) = parsed[index];
            var apiVersion = (string)json["apiVersion"]!;
            var kind = (string)json["kind"]!;
            var name = (string?)json.SelectToken("metadata.name");
            if (string.IsNullOrEmpty(name))
            {
                problems.Add(new ManifestProblem(file, line, $"{kind}: metadata.name is required"));
            }

            if (crds.TryGet(apiVersion, kind, out var crd))
            {
                foreach (var error in crd.Schema.Validate(json, new JsonSchemaValidatorSettings { PropertyStringComparer = StringComparer.Ordinal }))
                {
                    foreach (var (path, message) in Describe(error))
                    {
                        problems.Add(new ManifestProblem(file, marks.LineOf(json, path), $"{kind} {name}: {message} (CRD {crd.File})"));
                    }
                }
            }
            else if (models is not null)
            {
                foreach (var (path, message) in JsonTypeCheck.Check(json, models[index].GetType()))
                {
                    problems.Add(new ManifestProblem(file, marks.LineOf(json, path), $"{kind} {name}: {path}: {message}"));
                }

            }

            if (models is not null)
            {
                documents.Add(new ManifestDocument(file, line, apiVersion, kind, name ?? string.Empty, models[index], json));
            }
        }
    }

    /// <summary>Each leaf of a validation error as (JSON path, message); an <c>anyOf</c> that failed lists its branches' reasons.</summary>
    private static IEnumerable<(string Path, string Message)> Describe(ValidationError error)
    {
        var path = PathOf(error);
        var where = path.Length == 0 ? "the document" : path;
        switch (error)
        {
            case { Kind: ValidationErrorKind.NoAdditionalPropertiesAllowed }:
                yield return (path, $"unknown field \"{where}\" (the CRD's schema declares no such field: the API server would prune it, and kubectl --validate=strict refuses it)");
                break;
            case ChildSchemaValidationError child when child.Errors.Count > 0:
                var reasons = child.Errors.SelectMany(branch => branch.Value).SelectMany(Describe).Select(reason => reason.Message).Distinct();
                yield return (path, $"{Words(error.Kind)} at {where}: {string.Join("; or ", reasons)}");
                break;
            case { Kind: ValidationErrorKind.NotInEnumeration }:
                yield return (path, $"{where}: {error.Token?.ToString(Newtonsoft.Json.Formatting.None)} is not one of {string.Join(", ", error.Schema.Enumeration.Select(value => value?.ToString()))}");
                break;
            case { Kind: ValidationErrorKind.PropertyRequired }:
                yield return (path, $"{where}: required field \"{error.Property}\" is missing");
                break;
            default:
                yield return (path, $"{where}: {Words(error.Kind)} (value {error.Token?.ToString(Newtonsoft.Json.Formatting.None) ?? "absent"})");
                break;
        }
    }

    // NJsonSchema paths look like "#/spec.postgresql.parameters"; the token's own path is JSON.NET's syntax already.
    private static string PathOf(ValidationError error)
    {
        var path = error.Path?.TrimStart('#', '/') ?? string.Empty;
        if (error.Kind is ValidationErrorKind.NoAdditionalPropertiesAllowed && error.Token?.Parent is JProperty property && error.Property is not null)
        {
            return property.Path;
        }

        return error.Token is { } token && token.Path.Length > 0 ? token.Path : path;
    }

    private static string Words(ValidationErrorKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString())).Trim();

    private static string Innermost(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var message = current.Message;
            var cut = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0)
            {
                message = message[(cut + 3)..];
            }

            if (!messages.Contains(message))
            {
                messages.Add(message);
            }
        }

        return string.Join(": ", messages);
    }

    private static void ValidateKustomization(string folder, List<string> files, List<ManifestDocument> documents, List<ManifestProblem> problems)
    {
        Kustomization kustomization;
        try
        {
            kustomization = StrictKustomization.Deserialize<Kustomization>(File.ReadAllText(Path.Combine(folder, KustomizationFile)));
        }
        catch (YamlException exception)
        {
            problems.Add(new ManifestProblem(KustomizationFile, (int)exception.Start.Line, Innermost(exception)));
            return;
        }

        if (kustomization.ApiVersion != "kustomize.config.k8s.io/v1beta1" || kustomization.Kind != "Kustomization")
        {
            problems.Add(new ManifestProblem(KustomizationFile, 1, "apiVersion must be kustomize.config.k8s.io/v1beta1 and kind Kustomization"));
        }

        foreach (var resource in kustomization.Resources.Where(resource => !files.Contains(resource)))
        {
            problems.Add(new ManifestProblem(KustomizationFile, 0, $"resources lists {resource}, which is not a manifest of this folder"));
        }

        foreach (var file in files.Where(file => !kustomization.Resources.Contains(file)))
        {
            problems.Add(new ManifestProblem(KustomizationFile, 0, $"{file} is not in resources: kubectl apply -k would leave it out"));
        }

        var images = documents.SelectMany(document => document.Json.SelectTokens("$..containers[*].image")).Select(token => (string?)token)
            .Select(image => image?.Split('@')[0]).Select(image => image is null ? null : image[..(image.LastIndexOf(':') is var colon && colon > image.LastIndexOf('/') ? colon : image.Length)])
            .ToHashSet(StringComparer.Ordinal);
        foreach (var image in kustomization.Images.Where(image => !images.Contains(image.Name)))
        {
            problems.Add(new ManifestProblem(KustomizationFile, 0, $"images names {image.Name}, which no container uses"));
        }
    }
}

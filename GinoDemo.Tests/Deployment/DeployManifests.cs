using GinoDemo.ManifestCheck;
using k8s.Models;
using Newtonsoft.Json.Linq;

namespace GinoDemo.Tests.Deployment;

/// <summary>
/// <c>deploy/kubernetes/</c> as the tests read it: validated by the same <see cref="ManifestValidator"/> as the CI gate,
/// against the CRDs vendored in <c>tools/ManifestCheck/crds/</c>, with accessors for the documents the tests compare.
/// </summary>
public static class DeployManifests
{
    private static readonly Lazy<CrdSchemas> Crds = new(() => CrdSchemas.LoadAsync(CrdFolder).GetAwaiter().GetResult());
    private static readonly Lazy<ManifestReport> Shipped = new(() => Validate(Folder));

    public static string Folder => Path.Combine(TestDatabase.RepositoryRoot, "deploy", "kubernetes");

    public static string CrdFolder => Path.Combine(TestDatabase.RepositoryRoot, "tools", "ManifestCheck", "crds");

    public static ManifestReport Report => Shipped.Value;

    public static ManifestReport Validate(string folder) => ManifestValidator.Validate(folder, Crds.Value);

    public static T The<T>() => Report.Documents.Select(document => document.Model).OfType<T>().Should().ContainSingle().Subject;

    public static V1Deployment Deployment => The<V1Deployment>();

    public static V1Container Api => Deployment.Spec.Template.Spec.Containers.Should().ContainSingle().Subject;

    public static V1Job MigrateJob => The<V1Job>();

    public static V1ConfigMap ConfigMap => The<V1ConfigMap>();

    public static V2HorizontalPodAutoscaler Autoscaler => The<V2HorizontalPodAutoscaler>();

    /// <summary>The CloudNativePG <c>Cluster</c>, as JSON (its spec is checked by its CRD's schema, not a typed model).</summary>
    public static JObject Cluster => Custom("Cluster");

    public static JObject Pooler => Custom("Pooler");

    /// <summary>The value of the environment variable <paramref name="name"/> of a container: its own <c>env</c>, else the ConfigMap it loads.</summary>
    public static string? Env(V1Container container, string name)
    {
        ArgumentNullException.ThrowIfNull(container);
        var own = container.Env?.FirstOrDefault(variable => variable.Name == name);
        if (own is not null)
        {
            return own.Value;
        }

        var maps = container.EnvFrom?.Select(source => source.ConfigMapRef?.Name).OfType<string>().ToList() ?? [];
        return maps.Contains(ConfigMap.Metadata.Name) && ConfigMap.Data.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>The host of a <c>postgresql://</c> DSN whose user and password are <c>$(VAR)</c> references.</summary>
    public static string HostOf(string? dsn)
    {
        dsn.Should().StartWith("postgresql://");
        var authority = dsn![(dsn.IndexOf('@', StringComparison.Ordinal) + 1)..];
        return authority[..authority.IndexOfAny([':', '/'])];
    }

    private static JObject Custom(string kind) =>
        Report.Documents.Where(document => document.ApiVersion == "postgresql.cnpg.io/v1" && document.Kind == kind)
            .Should().ContainSingle().Subject.Json;
}

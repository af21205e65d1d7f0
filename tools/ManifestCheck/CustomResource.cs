using k8s.Models;

namespace GinoDemo.ManifestCheck;

/// <summary>
/// The envelope of a custom resource, loaded by the same strict YAML reader as the built-in kinds: an unknown
/// top-level field or a misspelled <c>metadata</c> field fails there (the CRD schemas leave <c>metadata</c> to the API
/// server's own <c>ObjectMeta</c>). <see cref="Spec"/> is checked against the CRD's schema instead.
/// </summary>
public sealed class CustomResource
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ObjectMeta? Metadata { get; set; }

    public object? Spec { get; set; }
}

namespace GinoDemo.ManifestCheck;

/// <summary>
/// The fields of <c>kustomization.yaml</c> this check knows (kustomize.config.k8s.io/v1beta1, "Kustomization"):
/// read strictly, so a field outside them is reported rather than ignored.
/// </summary>
public sealed class Kustomization
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public List<string> Resources { get; set; } = [];

    public List<KustomizationImage> Images { get; set; } = [];
}

namespace GinoDemo.ManifestCheck;

/// <summary>An <c>images:</c> entry of a kustomization: the image <see cref="Name"/> used in the manifests and what replaces it.</summary>
public sealed class KustomizationImage
{
    public string? Name { get; set; }

    public string? NewName { get; set; }

    public string? NewTag { get; set; }

    public string? Digest { get; set; }
}

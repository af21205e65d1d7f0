namespace GinoDemo.ManifestCheck;

/// <summary>What <see cref="ManifestValidator"/> found in a folder: every document it could read, and every problem.</summary>
public sealed record ManifestReport(IReadOnlyList<ManifestDocument> Documents, IReadOnlyList<ManifestProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

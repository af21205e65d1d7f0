namespace GinoDemo.ManifestCheck;

/// <summary>One finding: the file (relative to the checked folder), its 1-based line (0: the whole file), and what is wrong.</summary>
public sealed record ManifestProblem(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

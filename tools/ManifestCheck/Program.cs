using System.Diagnostics;
using GinoDemo.ManifestCheck;

// ManifestCheck <manifests folder> [<CRD folder>]: exit 0 when every manifest is valid, 1 with one line per problem,
// 2 on a wrong invocation. The CRD folder defaults to the crds/ copied beside this program.
if (args.Length is < 1 or > 2 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: ManifestCheck <manifests folder> [<CRD folder>] (the folder must exist)");
    return 2;
}

var watch = Stopwatch.StartNew();
var crdFolder = args.Length > 1 ? args[1] : Path.Combine(AppContext.BaseDirectory, "crds");
var crds = await CrdSchemas.LoadAsync(crdFolder);
var report = ManifestValidator.Validate(args[0], crds);
foreach (var document in report.Documents)
{
    Console.WriteLine($"  {document}");
}

foreach (var problem in report.Problems)
{
    Console.Error.WriteLine($"error: {Path.Combine(args[0], problem.ToString())}");
}

var custom = report.Documents.Count(document => crds.TryGet(document.ApiVersion, document.Kind, out _));
var schemas = string.Join("; ", crds.All.Select(crd =>
    $"{crd.Kind} ({crd.File}): {crd.StrictObjects} objects refuse unknown fields, {crd.CelRules} CEL rules left to the API server"));
Console.WriteLine($"manifests: {report.Documents.Count} documents, {report.Problems.Count} problems, in {watch.Elapsed.TotalSeconds:0.0} s: " +
    $"{report.Documents.Count - custom} of Kubernetes' kinds by strict typed loading, {custom} against their CRD schemas ({schemas})");
return report.IsValid ? 0 : 1;

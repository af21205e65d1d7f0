using GinoDemo.ManifestCheck;

namespace GinoDemo.Tests.Deployment;

/// <summary>
/// The strict offline validation of <c>deploy/kubernetes/</c> (the CI gate runs the same validator): the shipped
/// manifests pass, and each kind of mistake in a copy of them fails with the file, the line and the field.
/// </summary>
public sealed class ManifestValidationTests
{
    private string _copy = null!;

    [SetUp]
    public void CopyManifests()
    {
        _copy = Directory.CreateTempSubdirectory("gino-manifests-").FullName;
        foreach (var file in Directory.EnumerateFiles(DeployManifests.Folder))
        {
            File.Copy(file, Path.Combine(_copy, Path.GetFileName(file)));
        }
    }

    [TearDown]
    public void DeleteCopy() => Directory.Delete(_copy, recursive: true);

    [Test]
    public void The_shipped_manifests_pass_and_hold_every_kind_the_deployment_needs()
    {
        var report = DeployManifests.Report;

        report.Problems.Should().BeEmpty();
        report.Documents.Select(document => document.Kind).Should().BeEquivalentTo(
            "ConfigMap", "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Job",
            "NetworkPolicy", "NetworkPolicy", "Cluster", "Pooler");
    }

    [Test]
    public void A_misspelled_field_of_a_Kubernetes_kind_fails_naming_it_and_its_line()
    {
        var line = Mutate("deployment.yaml", "          readinessProbe:", "          readinesProbe:");

        Problems().Should().ContainSingle().Which.Should().Be(
            new ManifestProblem("deployment.yaml", line, "Property 'readinesProbe' not found on type 'k8s.Models.V1Container'."));
    }

    [Test]
    public void A_misspelled_field_of_a_CloudNativePG_kind_fails_naming_it_and_its_line()
    {
        var line = Mutate("postgres-cluster.yaml", "      dataDurability: preferred", "      dataDurabilty: preferred");

        var problem = Problems().Should().ContainSingle().Subject;
        problem.File.Should().Be("postgres-cluster.yaml");
        problem.Line.Should().Be(line);
        problem.Message.Should().Contain("unknown field \"spec.postgresql.synchronous.dataDurabilty\"");
    }

    [Test]
    public void A_field_the_CRD_would_prune_deep_in_a_CloudNativePG_kind_fails()
    {
        Mutate("pooler.yaml", "    poolMode: transaction", "    poolMode: transaction\n    pool_mode: transaction");

        Problems().Should().ContainSingle().Which.Message.Should().Contain("unknown field \"spec.pgbouncer.pool_mode\"");
    }

    [Test]
    public void A_value_outside_a_CloudNativePG_enumeration_fails()
    {
        Mutate("pooler.yaml", "    poolMode: transaction", "    poolMode: transactions");

        Problems().Should().ContainSingle().Which.Message.Should().Contain("spec.pgbouncer.poolMode: \"transactions\" is not one of session, transaction");
    }

    [Test]
    public void A_CloudNativePG_field_of_the_wrong_type_fails()
    {
        Mutate("postgres-cluster.yaml", "      number: 1", "      number: \"1\"");

        Problems().Should().ContainSingle().Which.Message.Should().Contain("spec.postgresql.synchronous.number");
    }

    [Test]
    public void A_quoted_number_where_Kubernetes_expects_an_integer_fails_as_the_API_server_would_refuse_it()
    {
        Mutate("hpa.yaml", "  maxReplicas: 8", "  maxReplicas: \"8\"");

        Problems().Should().ContainSingle().Which.Message.Should().Be(
            "HorizontalPodAutoscaler gino-demo: spec.maxReplicas: \"8\" is a string, where Kubernetes expects an integer");
    }

    [Test]
    public void An_unquoted_yes_or_on_where_Kubernetes_expects_a_string_fails_since_YAML_1_1_reads_it_as_a_boolean()
    {
        Mutate("configmap.yaml", "  DB_SERVER_PREPARED_STATEMENTS: \"false\"", "  DB_SERVER_PREPARED_STATEMENTS: off");

        Problems().Should().ContainSingle().Which.Message.Should().Contain("data.DB_SERVER_PREPARED_STATEMENTS: false is a boolean, where Kubernetes expects a string");
    }

    [Test]
    public void A_misspelled_field_deep_in_a_pod_template_fails()
    {
        var line = Mutate("migrate-job.yaml", "                - ALL", "                - ALL\n              add:\n                - NET_RAW\n              dorp:\n                - ALL");

        Problems().Should().ContainSingle().Which.Should().Be(
            new ManifestProblem("migrate-job.yaml", line + 3, "Property 'dorp' not found on type 'k8s.Models.V1Capabilities'."));
    }

    [Test]
    public void A_misspelled_kind_fails()
    {
        Mutate("pdb.yaml", "kind: PodDisruptionBudget", "kind: PodDisruptionBudgets");

        Problems().Should().ContainSingle().Which.Message.Should().StartWith("unknown kind \"PodDisruptionBudgets\" in \"policy/v1\"");
    }

    [Test]
    public void A_manifest_the_kustomization_leaves_out_fails()
    {
        File.Copy(Path.Combine(_copy, "service.yaml"), Path.Combine(_copy, "service-copy.yaml"));
        File.WriteAllText(Path.Combine(_copy, "service-copy.yaml"),
            File.ReadAllText(Path.Combine(_copy, "service-copy.yaml")).Replace("name: gino-demo\n", "name: gino-demo-copy\n", StringComparison.Ordinal));

        Problems().Should().ContainSingle().Which.Should().Be(
            new ManifestProblem(ManifestValidator.KustomizationFile, 0, "service-copy.yaml is not in resources: kubectl apply -k would leave it out"));
    }

    private IReadOnlyList<ManifestProblem> Problems() => DeployManifests.Validate(_copy).Problems;

    /// <summary>Replaces the one occurrence of <paramref name="original"/> in the copy; returns its 1-based line.</summary>
    private int Mutate(string file, string original, string replacement)
    {
        var path = Path.Combine(_copy, file);
        var text = File.ReadAllText(path);
        var at = text.IndexOf(original, StringComparison.Ordinal);
        at.Should().BeGreaterThanOrEqualTo(0, $"{file} holds \"{original}\"");
        text.IndexOf(original, at + 1, StringComparison.Ordinal).Should().Be(-1, $"{file} holds \"{original}\" once");
        File.WriteAllText(path, string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + original.Length)));
        return text[..at].Count(c => c == '\n') + 1;
    }
}

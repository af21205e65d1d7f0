using System.Globalization;
using System.Text.RegularExpressions;
using GinoDemo.Api.Health;
using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace GinoDemo.Tests.Deployment;

/// <summary>
/// <c>deploy/kubernetes/</c> agrees with the app it deploys: the probes ask the app's real routes on the port the
/// image listens on, the shutdown fits the grace period, the selectors select the pods, and each connection goes where
/// it must (the API through the transaction-mode pooler, the migration straight to the primary).
/// </summary>
public sealed partial class DeploymentManifestTests
{
    [Test]
    public void The_probes_ask_the_apps_health_routes_on_the_port_the_image_listens_on()
    {
        var dockerfile = File.ReadAllText(Path.Combine(TestDatabase.RepositoryRoot, "Dockerfile"));
        var exposed = int.Parse(ExposePattern().Match(dockerfile).Groups[1].Value, CultureInfo.InvariantCulture);
        var listening = int.Parse(HttpPortsPattern().Match(dockerfile).Groups[1].Value, CultureInfo.InvariantCulture);
        var api = DeployManifests.Api;

        listening.Should().Be(exposed);
        var port = api.Ports.Should().ContainSingle().Subject;
        port.ContainerPort.Should().Be(listening);
        api.StartupProbe.HttpGet.Path.Should().Be(HealthProbeExtensions.LivePath);
        api.LivenessProbe.HttpGet.Path.Should().Be(HealthProbeExtensions.LivePath);
        api.ReadinessProbe.HttpGet.Path.Should().Be(HealthProbeExtensions.ReadyPath);
        foreach (var probe in new[] { api.StartupProbe, api.LivenessProbe, api.ReadinessProbe })
        {
            probe.HttpGet.Port.Value.Should().BeOneOf(port.Name, listening.ToString(CultureInfo.InvariantCulture));
        }

        var service = DeployManifests.The<V1Service>();
        service.Spec.Ports.Should().ContainSingle().Which.TargetPort.Value.Should().BeOneOf(port.Name, listening.ToString(CultureInfo.InvariantCulture));
    }

    [Test]
    public void The_grace_period_outlasts_the_preStop_pause_and_the_apps_shutdown_timeout()
    {
        var defaults = new ConfigurationBuilder().AddJsonFile(Path.Combine(TestDatabase.RepositoryRoot, "appsettings.json")).Build();
        var shutdown = TimeSpan.Parse(
            DeployManifests.Env(DeployManifests.Api, "Server__ShutdownTimeout") ?? defaults["Server:ShutdownTimeout"]!, CultureInfo.InvariantCulture);
        var pause = DeployManifests.Api.Lifecycle.PreStop.Sleep.Seconds;

        pause.Should().BePositive("the pod leaves the Service's endpoints a moment after SIGTERM");
        DeployManifests.Deployment.Spec.Template.Spec.TerminationGracePeriodSeconds.Should()
            .BeGreaterThan(pause + (long)shutdown.TotalSeconds);
    }

    [Test]
    public void A_rollout_keeps_every_replica_serving_and_at_least_two_run()
    {
        var deployment = DeployManifests.Deployment;

        deployment.Spec.Replicas.Should().BeGreaterThanOrEqualTo(2);
        DeployManifests.Autoscaler.Spec.MinReplicas.Should().BeGreaterThanOrEqualTo(2);
        deployment.Spec.Strategy.Type.Should().Be("RollingUpdate");
        deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value.Should().Be("0");
        deployment.Spec.Template.Spec.TopologySpreadConstraints.Should().Contain(constraint => constraint.TopologyKey == "kubernetes.io/hostname");
    }

    [Test]
    public void Both_containers_run_non_root_on_a_read_only_file_system_with_no_capabilities_and_a_writable_tmp()
    {
        foreach (var pod in new[] { DeployManifests.Deployment.Spec.Template.Spec, DeployManifests.MigrateJob.Spec.Template.Spec })
        {
            pod.SecurityContext.RunAsNonRoot.Should().BeTrue();
            pod.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
            var container = pod.Containers.Should().ContainSingle().Subject;
            container.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue();
            container.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
            container.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
            container.Resources.Requests.Keys.Should().BeEquivalentTo("cpu", "memory");
            container.Resources.Limits.Keys.Should().BeEquivalentTo("cpu", "memory");
            var tmp = container.VolumeMounts.Should().ContainSingle(mount => mount.MountPath == "/tmp").Subject;
            pod.Volumes.Should().ContainSingle(volume => volume.Name == tmp.Name).Which.EmptyDir.Should().NotBeNull();
        }
    }

    [Test]
    public void The_Service_budget_autoscaler_and_network_policy_select_the_API_pods()
    {
        var labels = DeployManifests.Deployment.Spec.Template.Metadata.Labels;

        DeployManifests.Deployment.Spec.Selector.MatchLabels.Should().BeSubsetOf(labels);
        DeployManifests.The<V1Service>().Spec.Selector.Should().BeSubsetOf(labels);
        DeployManifests.The<V1PodDisruptionBudget>().Spec.Selector.MatchLabels.Should().BeSubsetOf(labels);
        DeployManifests.Autoscaler.Spec.ScaleTargetRef.Name.Should().Be(DeployManifests.Deployment.Metadata.Name);
        DeployManifests.Autoscaler.Spec.ScaleTargetRef.Kind.Should().Be("Deployment");
        var policies = DeployManifests.Report.Documents.Select(document => document.Model).OfType<V1NetworkPolicy>().ToList();
        policies.Should().ContainSingle(policy => IsSubset(policy.Spec.PodSelector.MatchLabels, labels))
            .Which.Spec.Ingress.Should().ContainSingle().Which.Ports.Should().ContainSingle()
            .Which.Port.Value.Should().Be(DeployManifests.Api.Ports.Single().ContainerPort.ToString(CultureInfo.InvariantCulture));
        policies.Should().ContainSingle(policy => IsSubset(policy.Spec.PodSelector.MatchLabels, DeployManifests.MigrateJob.Spec.Template.Metadata.Labels));
    }

    [Test]
    public void The_API_writes_through_the_transaction_mode_pooler_without_server_prepared_statements_and_reads_from_the_standbys()
    {
        var api = DeployManifests.Api;
        var cluster = (string)DeployManifests.Cluster.SelectToken("metadata.name")!;
        var pooler = DeployManifests.Pooler;

        DeployManifests.HostOf(DeployManifests.Env(api, "DB_DSN")).Should().Be((string)pooler.SelectToken("metadata.name")!);
        ((string?)pooler.SelectToken("spec.cluster.name")).Should().Be(cluster);
        ((string?)pooler.SelectToken("spec.type")).Should().Be("rw");
        ((string?)pooler.SelectToken("spec.pgbouncer.poolMode")).Should().Be("transaction");
        DeployManifests.Env(api, "DB_SERVER_PREPARED_STATEMENTS").Should().Be("false");
        DeployManifests.HostOf(DeployManifests.Env(api, "DB_READ_DSN")).Should().Be($"{cluster}-ro");
    }

    [Test]
    public void The_migration_Job_runs_the_same_image_with_migrate_straight_to_the_primary()
    {
        var migrate = DeployManifests.MigrateJob.Spec.Template.Spec.Containers.Single();
        var cluster = (string)DeployManifests.Cluster.SelectToken("metadata.name")!;

        migrate.Image.Should().Be(DeployManifests.Api.Image);
        migrate.Args.Should().Equal("migrate");
        DeployManifests.HostOf(DeployManifests.Env(migrate, "DB_DSN")).Should().Be($"{cluster}-rw", "migrate holds a session advisory lock, which transaction pooling loses");
        DeployManifests.MigrateJob.Spec.Template.Spec.RestartPolicy.Should().Be("Never");
    }

    [Test]
    public void Every_variable_a_value_refers_to_is_defined_before_it_and_the_credentials_come_from_the_clusters_app_secret()
    {
        var secret = $"{(string)DeployManifests.Cluster.SelectToken("metadata.name")!}-app";
        foreach (var container in new[] { DeployManifests.Api, DeployManifests.MigrateJob.Spec.Template.Spec.Containers.Single() })
        {
            var defined = new HashSet<string>(container.EnvFrom?.Count > 0 ? DeployManifests.ConfigMap.Data.Keys : []);
            foreach (var variable in container.Env)
            {
                foreach (Match reference in ReferencePattern().Matches(variable.Value ?? string.Empty))
                {
                    defined.Should().Contain(reference.Groups[1].Value, $"{container.Name}'s {variable.Name} refers to it (Kubernetes expands only variables defined before)");
                }

                if (variable.ValueFrom?.SecretKeyRef is { } reference2)
                {
                    reference2.Name.Should().Be(secret);
                }

                defined.Add(variable.Name);
            }
        }
    }

    private static bool IsSubset(IDictionary<string, string> subset, IDictionary<string, string> labels) =>
        subset.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    [GeneratedRegex(@"(?m)^EXPOSE\s+(\d+)\s*$")]
    private static partial Regex ExposePattern();

    [GeneratedRegex(@"(?m)^ENV\s+ASPNETCORE_HTTP_PORTS=(\d+)\s*$")]
    private static partial Regex HttpPortsPattern();

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex ReferencePattern();
}

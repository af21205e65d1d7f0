using System.Diagnostics;
using System.Reflection;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Faults;

/// <summary>
/// The fault suite's fixture (issue 5): a throwaway PostgreSQL cluster and the API published as it is deployed,
/// shared by the scenarios; a template database migrated by the API's own <c>migrate</c> step, copied for each
/// scenario; and the figures the scenarios report, written to TestResults/reliability.md.
/// </summary>
[SetUpFixture]
public sealed class FaultSuite
{
    public const string TemplateDatabase = "faults_template";

    private static PostgresCluster? _cluster;
    private static string? _apiDirectory;

    public static PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The fault suite is not set up.");

    /// <summary>The published API (<c>dotnet publish</c> of the tests' own build configuration).</summary>
    public static string ApiDirectory => _apiDirectory ?? throw new InvalidOperationException("The fault suite is not set up.");

    [OneTimeSetUp]
    public async Task CreateClusterAndPublishApi()
    {
        var clock = Stopwatch.StartNew();
        _cluster = await PostgresCluster.CreateAsync();
        _apiDirectory = Directory.CreateTempSubdirectory("gino-faults-api-").FullName;
        await PublishApiAsync(_apiDirectory);

        await Cluster.ExecuteAsync($"CREATE DATABASE {TemplateDatabase}");
        var migrate = ApiProcess.Start(ApiDirectory, new Dictionary<string, string> { ["DB_DSN"] = Cluster.Dsn(TemplateDatabase) },
            arguments: ["migrate"], apiDirectory: ApiDirectory);
        await using (migrate)
        {
            (await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(0, migrate.Output);
        }

        FaultReport.Start(clock.Elapsed);
    }

    [OneTimeTearDown]
    public async Task RemoveCluster()
    {
        try
        {
            await FaultReport.FinishAsync();
        }
        finally
        {
            await RemoveClusterAndApiAsync();
        }
    }

    private static async Task RemoveClusterAndApiAsync()
    {
        try
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
        }
        finally
        {
            if (_apiDirectory is not null)
            {
                Directory.Delete(_apiDirectory, recursive: true);
            }
        }
    }

    internal static async Task PublishApiAsync(string output)
    {
        var configuration = typeof(FaultSuite).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        // The tests' build already compiled the API in this configuration: publish lays it out as deployed.
        var publish = await Command.RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            ["publish", "GinoDemo.Api/GinoDemo.Api.csproj", "--no-build", "-c", configuration, "-o", output, "-nologo", "--disable-build-servers"],
            TestDatabase.RepositoryRoot);
        publish.ExitCode.Should().Be(0, $"dotnet publish failed:\n{publish.Output}");
    }
}

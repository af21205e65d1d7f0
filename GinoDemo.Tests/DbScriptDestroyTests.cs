using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>
/// <c>scripts/db.sh destroy</c> for real, on a cluster of its own in a scratch folder (<c>GINO_DEMO_PG_DIR</c>, as a
/// clone outside the postgres user's reach gets one under /var/lib/gino-demo): it says what it deletes, asks (or needs
/// <c>--yes</c> without a terminal), stops the server, and deletes the cluster's files and nothing else.
/// </summary>
[NonParallelizable]
public sealed class DbScriptDestroyTests : ScratchDirectoryTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private int port;

    private string ClusterFolder => Path.Combine(WorkingDirectory, "postgres");

    [SetUp]
    public async Task LetThePostgresUserIn()
    {
        // initdb runs as postgres when the tests run as root; the scratch folder is private by default.
        (await Command.RunAsync("chmod", ["755", WorkingDirectory], WorkingDirectory)).ExitCode.Should().Be(0);
        port = ApiProcess.FreePort();
    }

    [TearDown]
    public async Task DestroyWhatIsLeft() => await DbShAsync("destroy", "--yes");

    [Test]
    public async Task Destroy_stops_the_cluster_and_deletes_its_files_and_nothing_else()
    {
        await StartClusterAsync();
        var unrelated = Path.Combine(WorkingDirectory, "notes.txt");
        await File.WriteAllTextAsync(unrelated, "not the cluster's");

        var (exitCode, output) = await DbShAsync("destroy", "--yes");

        exitCode.Should().Be(0, output);
        output.Should().Contain("deletes its data, ").And.Contain(" in all: " + ClusterFolder + " ", "it says what it deletes and how much");
        Directory.Exists(ClusterFolder).Should().BeFalse(output);
        File.Exists(ClusterFolder + ".password").Should().BeFalse(output);
        File.Exists(ClusterFolder + ".port").Should().BeFalse(output);
        File.Exists(unrelated).Should().BeTrue("only the cluster's own files go");
        Listens(port).Should().BeFalse("the server is stopped before its files go");
    }

    [Test]
    public async Task Destroy_without_a_terminal_or_yes_deletes_nothing_and_says_how()
    {
        await StartClusterAsync();

        var (exitCode, output) = await DbShAsync("destroy");

        exitCode.Should().Be(1, output);
        output.Should().Contain("error: not deleting without a terminal to ask on: run scripts/db.sh destroy --yes");
        File.Exists(Path.Combine(ClusterFolder, "PG_VERSION")).Should().BeTrue(output);
        Listens(port).Should().BeTrue("nothing was stopped either");
    }

    [Test]
    public async Task Destroy_refuses_a_postgres_folder_that_is_not_a_cluster()
    {
        Directory.CreateDirectory(ClusterFolder);
        var someonesFile = Path.Combine(ClusterFolder, "thesis.tex");
        await File.WriteAllTextAsync(someonesFile, "precious");

        var (exitCode, output) = await DbShAsync("destroy", "--yes");

        exitCode.Should().Be(1, output);
        output.Should().Contain("is not a PostgreSQL cluster (no PG_VERSION): not deleting it");
        File.Exists(someonesFile).Should().BeTrue(output);
        File.Delete(someonesFile);
        Directory.Delete(ClusterFolder);
    }

    [Test]
    public async Task Destroy_with_no_cluster_says_there_is_nothing_to_delete()
    {
        var (exitCode, output) = await DbShAsync("destroy", "--yes");

        exitCode.Should().Be(0, output);
        output.Should().Contain($"No local PostgreSQL cluster in {WorkingDirectory}: nothing to delete");
    }

    private async Task StartClusterAsync()
    {
        var (exitCode, output) = await DbShAsync("start");
        exitCode.Should().Be(0, output);
        Listens(port).Should().BeTrue(output);
    }

    private static bool Listens(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>scripts/db.sh with the cluster in the scratch folder, its standard input not a terminal.</summary>
    private async Task<(int ExitCode, string Output)> DbShAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestDatabase.RepositoryRoot, "scripts", "db.sh"), .. arguments])
        {
            WorkingDirectory = TestDatabase.RepositoryRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["GINO_DEMO_PG_DIR"] = WorkingDirectory;
        start.Environment["GINO_DEMO_PG_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"scripts/db.sh {string.Join(' ', arguments)} did not end within {Patience}");
        }

        return (process.ExitCode, await output + await errors);
    }
}

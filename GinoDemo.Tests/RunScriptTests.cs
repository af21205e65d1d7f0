using System.Diagnostics;
using System.Globalization;
using System.Text;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests;

/// <summary>
/// <c>scripts/run.sh</c>, the newcomer's first command, run for real against a database it cannot use: it stops at its
/// migration step with the one line that says what to do and the migrate command's exit code, without a stack trace.
/// The first run builds the API in Debug (about a minute on a fresh clone); the second finds it up to date.
/// </summary>
[NonParallelizable]
public sealed class RunScriptTests
{
    /// <summary>A fresh clone's Debug build on two busy cores, then the migrate step; past it the script is stuck.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private const string MigrationStep = "==> Applying migrations (GinoDemo.Api migrate)";

    /// <summary>
    /// After the step line: two log entries of two lines each (Development's readable format): "Connecting to the
    /// database" and the key line.
    /// </summary>
    private const int MigrationStepLines = 5;

    [Test]
    public async Task A_wrong_password_stops_run_sh_at_the_migration_step_with_one_line_and_exit_1()
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.Options.ConnectionString);

        var (exitCode, output) = await RunScriptAsync(server.Host!, server.Port, server.Username!, "not-the-password");

        exitCode.Should().Be(1, output);
        output.Should().NotContain("not-the-password");
        StartupOutput.ShouldSayOnlyWhatToDo(MigrationStepOf(output),
            $"Cannot connect to the database; max retries reached. (28P01: password authentication failed for user \"{server.Username}\") "
            + $"Set DB_PASSWORD (or the password in DB_DSN) to the password of the PostgreSQL user \"{server.Username}\".",
            MigrationStepLines);
        StartupOutput.ShouldSayOnlyWhatToDo(output, MigrationStep, int.MaxValue);
    }

    [Test]
    public async Task No_server_at_the_address_stops_run_sh_at_the_migration_step_with_one_line_and_exit_1()
    {
        var closedPort = ApiProcess.FreePort();

        var (exitCode, output) = await RunScriptAsync("127.0.0.1", closedPort, "postgres", "whatever");

        exitCode.Should().Be(1, output);
        StartupOutput.ShouldSayOnlyWhatToDo(MigrationStepOf(output),
            $"Cannot connect to the database; max retries reached. (Failed to connect to 127.0.0.1:{closedPort}) "
            + $"Nothing listens at 127.0.0.1:{closedPort}: start PostgreSQL there, or set DB_HOST and DB_PORT (or DB_DSN) to where it listens.",
            MigrationStepLines);
        StartupOutput.ShouldSayOnlyWhatToDo(output, MigrationStep, int.MaxValue);
    }

    /// <summary>What the script printed from its migration step on (the build before it prints what the SDK likes).</summary>
    private static string MigrationStepOf(string output)
    {
        var start = output.IndexOf(MigrationStep, StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, "run.sh reaches its migration step:\n{0}", output);
        return output[start..];
    }

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(string host, int port, string user, string password)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestDatabase.RepositoryRoot, "scripts", "run.sh")])
        {
            WorkingDirectory = TestDatabase.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only these settings: none of the test run's own (DB_DSN would win over DB_HOST, TESTING would pick another database).
        foreach (var key in start.Environment.Keys.Where(key => key.StartsWith("DB_", StringComparison.Ordinal) || key is "TESTING" or "ASPNETCORE_ENVIRONMENT").ToList())
        {
            start.Environment.Remove(key);
        }

        // Set, even empty, so that a developer's .env (which the environment outranks) changes nothing here.
        start.Environment["DB_DSN"] = "";
        start.Environment["DB_SSL"] = "";
        start.Environment["DB_DATABASE"] = "gino_demo";
        start.Environment["TESTING"] = "false";
        start.Environment["DB_HOST"] = host;
        start.Environment["DB_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["DB_USER"] = user;
        start.Environment["DB_PASSWORD"] = password;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"scripts/run.sh did not stop within {Patience}. It printed:\n{output}");
        }

        process.WaitForExit(); // drains the output
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}

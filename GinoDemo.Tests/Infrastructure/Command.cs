using System.ComponentModel;
using System.Diagnostics;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>A short-lived program (git, dotnet publish, pg_ctl), run to its end with its output collected.</summary>
public static class Command
{
    public sealed record Result(int ExitCode, string Output);

    /// <summary>Runs <paramref name="file"/>; a program that is not installed exits 127, as in a shell.</summary>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return new Result(process.ExitCode, await output + await errors);
        }
        catch (Win32Exception e)
        {
            return new Result(127, e.Message);
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>
/// The API as a real process (<c>dotnet GinoDemo.Api.dll</c>: the build beside the tests, or a published folder)
/// started from a directory of the test's choosing, with only the environment the test gives it: how operators run it.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ApiProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the API, or one of its commands when <paramref name="arguments"/> name one (<c>migrate</c>, <c>healthcheck url</c>).</summary>
    public static ApiProcess Start(
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        int? port = null,
        IReadOnlyList<string>? arguments = null,
        string? apiDirectory = null)
    {
        port ??= FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(apiDirectory ?? AppContext.BaseDirectory, "GinoDemo.Api.dll"));
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        // Unless the test names its own addresses (the command line's last --urls would win over them).
        if (arguments?.Contains("--urls") != true)
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add($"http://127.0.0.1:{port}");
        }
        // Only the test's settings: none of the developer's shell (DB_*, TESTING, ASPNETCORE_ENVIRONMENT, Section__Key).
        foreach (var key in start.Environment.Keys.Where(IsSetting).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var api = new ApiProcess(process, port.Value);
        process.OutputDataReceived += (_, line) => api.Append(line.Data);
        process.ErrorDataReceived += (_, line) => api.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return api;
    }

    /// <summary>A client of this API; the caller disposes it.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>How many lines the API printed that contain <paramref name="text"/>.</summary>
    public int CountLines(string text) => Output.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                Assert.Fail($"The API did not print \"{text}\" within {timeout}. It printed:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The API did not exit within {timeout}. It printed:\n{Output}");
        }

        _process.WaitForExit(); // drains the output
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as a container runtime or systemd stops the service.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsSetting(string key) =>
        key.StartsWith("DB_", StringComparison.Ordinal) || key.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
        || key is "TESTING" or "DOTNET_ENVIRONMENT" || key.Contains("__", StringComparison.Ordinal);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

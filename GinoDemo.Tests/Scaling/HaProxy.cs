using System.Globalization;
using System.Net.Sockets;
using System.Text;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Scaling;

/// <summary>
/// HAProxy 2.6 run on the shipped <c>deploy/haproxy/haproxy.cfg</c> as it is: the addresses are HAProxy's own
/// environment variables (<c>GINO_PROXY_BIND</c>, <c>GINO_API_1..3</c>, <c>GINO_PROXY_SOCKET</c>). Its runtime API
/// drains a replica before a rolling restart and reports each server's state and the backend's retries.
/// </summary>
public sealed class HaProxy : IAsyncDisposable
{
    public const string Backend = "api_replicas";

    private readonly string _home;
    private ServiceProcess? _process;

    private HaProxy(string home, int port)
    {
        _home = home;
        Port = port;
    }

    public static string ShippedConfiguration => Path.Combine(TestDatabase.RepositoryRoot, "deploy", "haproxy", "haproxy.cfg");

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>HAProxy's log: one line per request (httplog) and the servers' state changes.</summary>
    public string Output => _process?.Output ?? "";

    private string Socket => Path.Combine(_home, "admin.sock");

    /// <summary>Starts HAProxy in front of the replicas on <paramref name="replicaPorts"/> (three: the shipped file names three servers).</summary>
    public static async Task<HaProxy> StartAsync(IReadOnlyList<int> replicaPorts)
    {
        replicaPorts.Should().HaveCount(3, "deploy/haproxy/haproxy.cfg names three servers");
        var proxy = new HaProxy(Directory.CreateTempSubdirectory("gino-haproxy-").FullName, ApiProcess.FreePort());
        var environment = new Dictionary<string, string>
        {
            ["GINO_PROXY_BIND"] = $"127.0.0.1:{proxy.Port}",
            ["GINO_PROXY_SOCKET"] = proxy.Socket,
        };
        for (var i = 0; i < replicaPorts.Count; i++)
        {
            environment[$"GINO_API_{i + 1}"] = $"127.0.0.1:{replicaPorts[i]}";
        }

        // -db: in the foreground, logging to stdout; the PID is HAProxy's own.
        proxy._process = ServiceProcess.Start("/usr/sbin/haproxy", ["-db", "-f", ShippedConfiguration], environment);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!File.Exists(proxy.Socket))
        {
            if (DateTime.UtcNow > deadline || proxy._process.HasExited)
            {
                var output = proxy.Output;
                await proxy.DisposeAsync();
                Assert.Fail($"HAProxy did not start on {ShippedConfiguration}. It printed:\n{output}");
            }

            await Task.Delay(50);
        }

        return proxy;
    }

    /// <summary>The server's name in the shipped file for replica <paramref name="index"/> (0-based).</summary>
    public static string Server(int index) => $"api{index + 1}";

    /// <summary>One command on the runtime API (HAProxy management guide, section 9.3); its answer.</summary>
    public async Task<string> CommandAsync(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket));
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"));
        var answer = new StringBuilder();
        var buffer = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return answer.ToString();
    }

    /// <summary>A column of <c>show stat</c> (CSV) for a server of the backend, or <c>BACKEND</c> for the backend itself.</summary>
    public async Task<string> StatAsync(string server, string column)
    {
        var lines = (await CommandAsync("show stat")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimStart('#', ' ').Split(',');
        var index = Array.IndexOf(header, column);
        index.Should().BeGreaterThanOrEqualTo(0, $"show stat has a column {column}");
        var row = lines.Select(line => line.Split(',')).Single(fields => fields[0] == Backend && fields[1] == server);
        return row[index];
    }

    /// <summary>Requests the backend sent again after a failure (<c>wretr</c>) and sent to another server (<c>wredis</c>).</summary>
    public async Task<(long Retries, long Redispatches)> RetriesAsync() =>
        (long.Parse(await StatAsync("BACKEND", "wretr"), CultureInfo.InvariantCulture),
         long.Parse(await StatAsync("BACKEND", "wredis"), CultureInfo.InvariantCulture));

    /// <summary>Waits until the health checks have replica <paramref name="index"/> in the state <paramref name="status"/> (UP, DOWN).</summary>
    public async Task WaitForStatusAsync(int index, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string current;
        while ((current = await StatAsync(Server(index), "status")) != status)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"HAProxy has {Server(index)} {current}, not {status}, after {timeout}. It printed:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(_home, recursive: true);
        }
    }
}

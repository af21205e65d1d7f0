using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>Limits only Kestrel enforces (the in-memory test server has none), checked on the real process.</summary>
public sealed class ServerLimitTests : ScratchDirectoryTest
{
    private const long KestrelDefaultMaxBodySize = 30_000_000;

    [Test]
    public async Task A_body_over_the_size_limit_is_a_413_problem_and_the_server_keeps_serving()
    {
        await using var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>
        {
            ["DB_DSN"] = TestDatabase.Options.ConnectionString,
        });
        await api.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(60));

        // Raw HTTP: the server answers as soon as it sees the length, before the body is sent.
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, api.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {KestrelDefaultMaxBodySize + 1}\r\n\r\n{{\"name\": \"aaaa"));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var head = new List<string>();
            while (await reader.ReadLineAsync() is { Length: > 0 } line)
            {
                head.Add(line);
            }

            head[0].Should().Be("HTTP/1.1 413 Payload Too Large");
            head.Should().Contain(line => line.Equals("Content-Type: application/problem+json", StringComparison.OrdinalIgnoreCase));
        }

        using var client = api.CreateClient();
        using var next = await client.PostAsJsonAsync("/users", new { name = "small" });
        next.StatusCode.Should().Be(HttpStatusCode.Created);
    }
}

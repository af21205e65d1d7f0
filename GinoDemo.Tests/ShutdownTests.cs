using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>SIGTERM on the real process: stop accepting, finish what is in flight, close the pool, exit 0.</summary>
public sealed class ShutdownTests : DatabaseTest
{
    [Test]
    public async Task SIGTERM_lets_requests_in_flight_finish_refuses_new_connections_and_exits_0()
    {
        var directory = Directory.CreateTempSubdirectory("gino-test-").FullName;
        await using var api = ApiProcess.Start(directory, TestDatabase.ApiEnvironment);
        await api.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = api.BaseAddress };

        Task<HttpResponseMessage>[] inFlight;
        await using (await TableLock.AcquireAsync())
        {
            inFlight = [.. Enumerable.Range(0, 3).Select(i => client.PostAsJsonAsync("/users", new { name = $"in flight {i}" }))];
            await TableLock.WaitForWaitersAsync(3);

            api.Terminate();
            await api.WaitForOutputAsync("Application is shutting down", TimeSpan.FromSeconds(10));
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (await AcceptsConnectionsAsync(api.Port))
            {
                DateTime.UtcNow.Should().BeBefore(deadline, "the listener closes once shutdown starts, while requests are still in flight");
                await Task.Delay(50);
            }
        }

        foreach (var response in await Task.WhenAll(inFlight))
        {
            response.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        (await api.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        api.Output.Should().Contain("Closed database connection");
        (await TestDatabase.CountAsync("SELECT count(*) FROM users")).Should().Be(3);
        Directory.Delete(directory, recursive: true);
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var probe = new TcpClient();
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

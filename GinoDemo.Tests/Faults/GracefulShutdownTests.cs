using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Faults;

/// <summary>Scenario 3: SIGTERM, as a container runtime or systemd stops the service: stop accepting, finish what is in flight, exit 0.</summary>
public sealed class GracefulShutdownTests : FaultTest
{
    private const int InFlight = 8;
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan HeldAfterSigterm = TimeSpan.FromSeconds(2);

    [Test]
    public async Task SIGTERM_lets_requests_in_flight_finish_refuses_new_connections_and_exits_0()
    {
        await using var api = await StartServingAsync();
        using var client = api.CreateClient();
        Task<HttpResponseMessage>[] requests;
        var clock = new Stopwatch();
        TimeSpan refusedAfter;
        await using (await TableLock.AcquireAsync(DataSource))
        {
            requests = [.. Enumerable.Range(0, InFlight).Select(i => client.PostAsJsonAsync("/users", new { name = $"in flight {i}" }))];
            await TableLock.WaitForWaitersAsync(InFlight, DataSource);

            api.Terminate();
            clock.Start();
            await api.WaitForOutputAsync("Application is shutting down", TimeSpan.FromSeconds(10));
            while (await AcceptsConnectionsAsync(api.Port))
            {
                clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the listener closes once shutdown starts, while requests are still in flight");
                await Task.Delay(20);
            }

            refusedAfter = clock.Elapsed;
            using var newcomer = api.CreateClient();
            (await TimeAsync(cancellation => newcomer.GetAsync("/healthz/live", cancellation))).Status.Should().Be(0, "a new connection is refused");
            await Task.Delay(HeldAfterSigterm > clock.Elapsed ? HeldAfterSigterm - clock.Elapsed : TimeSpan.Zero);
            requests.Should().OnlyContain(request => !request.IsCompleted, "the lock still holds them");
        }

        var answers = await Task.WhenAll(requests);
        var exitCode = await api.WaitForExitAsync(ShutdownTimeout);
        var exitedAfter = clock.Elapsed;

        FaultReport.Add("3. Graceful shutdown (SIGTERM) with requests held by a table lock",
            ("requests in flight at SIGTERM", InFlight),
            ("of them answered 2xx", answers.Count(answer => answer.IsSuccessStatusCode)),
            ("new connections refused after SIGTERM within", refusedAfter),
            ("lock held after SIGTERM", HeldAfterSigterm),
            ("exit code", exitCode),
            ("exited after SIGTERM (Server:ShutdownTimeout 25 s)", exitedAfter));
        answers.Should().OnlyContain(answer => answer.StatusCode == HttpStatusCode.Created);
        exitCode.Should().Be(0);
        exitedAfter.Should().BeLessThan(ShutdownTimeout);
        api.Output.Should().Contain("Closed database connection");
        (await CountAsync("SELECT count(*) FROM users")).Should().Be(InFlight);
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

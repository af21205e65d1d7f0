using System.Net;
using System.Net.Sockets;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>
/// A database that "appears" when the test says so: a loopback port forwarded to the real server. <see cref="Retarget"/>
/// sends the connections opened after it elsewhere, as a DNS name or service repointed by an operator.
/// </summary>
/// <param name="listenPort">The port it listens on.</param>
/// <param name="targetHost">Where connections go until <see cref="Retarget"/>.</param>
/// <param name="targetPort">The port they go to.</param>
/// <param name="listenAddress">Where it listens: 127.0.0.1 unless given (any address of 127.0.0.0/8 is this machine's).</param>
public sealed class TcpForwarder(int listenPort, string targetHost, int targetPort, IPAddress? listenAddress = null) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private volatile Tuple<string, int> _target = Tuple.Create(targetHost, targetPort);
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    public void Start()
    {
        _listener = new TcpListener(listenAddress ?? IPAddress.Loopback, listenPort);
        _listener.Start();
        _accepting = AcceptAsync(_listener);
    }

    /// <summary>New connections go to <paramref name="host"/>:<paramref name="port"/>; open ones stay where they are.</summary>
    public void Retarget(string host, int port) => _target = Tuple.Create(host, port);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(_stop.Token);
            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                var (host, port) = _target;
                await server.ConnectAsync(host, port, _stop.Token);
                var toServer = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
                var toClient = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // A side hung up: the connection is over.
            }
        }
    }
}

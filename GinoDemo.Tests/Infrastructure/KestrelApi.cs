using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>
/// The API in-process on a real Kestrel on a free loopback port, in the Production environment: unlike the in-memory
/// test server it enforces Kestrel's own limits and parses the bytes a client really sends.
/// </summary>
public sealed class KestrelApi : IAsyncDisposable
{
    private static readonly TimeSpan RawTimeout = TimeSpan.FromSeconds(30);

    private readonly ApiFactory _factory;
    private readonly HttpClient _client;

    private KestrelApi(ApiFactory factory, Uri baseAddress)
    {
        _factory = factory;
        BaseAddress = baseAddress;
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = baseAddress,
            Timeout = RawTimeout,
        };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client => _client;

    public static KestrelApi Start()
    {
        var factory = new ApiFactory(useKestrel: true);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new KestrelApi(factory, new Uri(address));
    }

    /// <summary>Sends a request through <see cref="HttpClient"/> and reads the whole answer.</summary>
    public async Task<HttpAnswer> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await _client.SendAsync(request))
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                headers[name] = string.Join(", ", values);
            }

            return new HttpAnswer((int)response.StatusCode, headers, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>
    /// Writes bytes as they are on a new TCP connection and reads the answer until the server closes it: for requests
    /// <see cref="HttpClient"/> refuses to send. The request should ask for <c>Connection: close</c>; with
    /// <paramref name="halfClose"/> the client also says it will send nothing more, as a client cut off midway would.
    /// </summary>
    public async Task<HttpAnswer> SendRawAsync(byte[] request, bool halfClose = false)
    {
        using var cancellation = new CancellationTokenSource(RawTimeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(BaseAddress.Host, BaseAddress.Port, cancellation.Token);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(request, cancellation.Token);
            if (halfClose)
            {
                tcp.Client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (IOException)
        {
            // The server may answer and hang up before it has read everything: its answer is still to be read.
        }

        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, cancellation.Token);
        }
        catch (IOException)
        {
            // A reset: what arrived before it, if anything, is the answer.
        }

        return HttpAnswer.Parse(received.ToArray());
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return _factory.DisposeAsync();
    }
}

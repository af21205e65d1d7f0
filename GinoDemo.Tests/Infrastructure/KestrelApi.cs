using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
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

    private readonly GinoApiFactory _factory;
    private readonly HttpClient _client;

    private KestrelApi(GinoApiFactory factory, Uri baseAddress)
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
        var factory = new GinoApiFactory(useKestrel: true);
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

/// <summary>An HTTP answer as a client sees it, whichever way it was sent.</summary>
public sealed record HttpAnswer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The status of an exchange the server ended without answering.</summary>
    public const int NoAnswer = 0;

    public string? MediaType => Headers.TryGetValue("Content-Type", out var type) ? MediaTypeHeaderValue.Parse(type).MediaType : null;

    /// <summary>
    /// Parses an HTTP/1.1 answer read off the wire up to the connection's end (fixed length or chunked); nothing at all
    /// is <see cref="NoAnswer"/>.
    /// </summary>
    public static HttpAnswer Parse(byte[] wire)
    {
        if (wire.Length == 0)
        {
            return new HttpAnswer(NoAnswer, new Dictionary<string, string>(), "");
        }

        var headEnd = wire.AsSpan().IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            throw new InvalidDataException($"No complete HTTP answer arrived; got {wire.Length} bytes: {Encoding.Latin1.GetString(wire)}");
        }

        var lines = Encoding.Latin1.GetString(wire, 0, headEnd).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }

        var body = wire.AsSpan(headEnd + 4);
        var isChunked = headers.TryGetValue("Transfer-Encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        return new HttpAnswer(status, headers, Encoding.UTF8.GetString(isChunked ? Dechunk(body) : body));
    }

    public override string ToString()
    {
        var body = Body.Length > 600 ? Body[..600] + "..." : Body;
        return $"{Status} {MediaType ?? "(no content type)"} {body}";
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> chunked)
    {
        var body = new List<byte>();
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked[..lineEnd]).Split(';')[0], 16);
            if (size == 0)
            {
                return [.. body];
            }

            body.AddRange(chunked.Slice(lineEnd + 2, size));
            chunked = chunked[(lineEnd + 2 + size + 2)..];
        }
    }
}

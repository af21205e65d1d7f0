using System.Net.Http.Headers;
using System.Text;

namespace GinoDemo.Tests.Infrastructure;

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

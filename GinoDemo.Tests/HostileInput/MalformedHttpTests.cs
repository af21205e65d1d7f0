using GinoDemo.Tests.Infrastructure;
using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>
/// Requests HttpClient refuses to send, over a raw socket. Kestrel answers most of them itself, before any
/// middleware runs: an empty body that cannot be problem+json (marked <see cref="ExpectedAnswer.KestrelRejects"/>).
/// </summary>
public sealed class MalformedHttpTests : HostileInputTest
{
    /// <summary>The status of an exchange that ended without an answer.</summary>
    private const int NoAnswer = HttpAnswer.NoAnswer;

    private static IEnumerable<TestCaseData> Cases()
    {
        const string ending = "Host: localhost\r\nConnection: close\r\n\r\n";
        yield return KestrelRejects("A request line of garbage is Kestrel's 400", 400, Raw("HELLO\r\n\r\n"));
        yield return KestrelRejects("A request line without a version is Kestrel's 400", 400, Raw("GET /users/1\r\n" + ending));
        yield return KestrelRejects("A NUL byte in the request line is Kestrel's 400", 400, Raw("GET /users/\0 HTTP/1.1\r\n" + ending));
        yield return KestrelRejects("A space inside the path is Kestrel's 400", 400, Raw("GET /users/1 2 HTTP/1.1\r\n" + ending));
        yield return KestrelRejects("An HTTP/1.1 request without Host is Kestrel's 400", 400, Raw("GET /users/1 HTTP/1.1\r\nConnection: close\r\n\r\n"));
        yield return KestrelRejects("Two Host headers are Kestrel's 400", 400, Raw("GET /users/1 HTTP/1.1\r\nHost: a\r\n" + ending));
        yield return KestrelRejects("A Host header holding a path is Kestrel's 400", 400, Raw("GET /users/1 HTTP/1.1\r\nHost: ../../etc\r\nConnection: close\r\n\r\n"));
        yield return KestrelRejects("A header line without a colon is Kestrel's 400", 400, Raw("GET /users/1 HTTP/1.1\r\nX-Broken\r\n" + ending));
        yield return KestrelRejects("A space before a header colon is Kestrel's 400", 400, Raw("GET /users/1 HTTP/1.1\r\nX-Broken : 1\r\n" + ending));
        yield return KestrelRejects("A non-numeric Content-Length is Kestrel's 400", 400, Raw(
            "POST /users HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: abc\r\n" + ending));
        yield return KestrelRejects("A negative Content-Length is Kestrel's 400", 400, Raw(
            "POST /users HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: -1\r\n" + ending));
        yield return KestrelRejects("Two different Content-Lengths are Kestrel's 400", 400, Raw(
            "POST /users HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 13\r\nContent-Length: 14\r\n" + ending +
            """{"name": "x"}"""));
        yield return KestrelRejects("A transfer coding other than chunked is Kestrel's 400", 400, Raw(
            "POST /users HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n" + ending + """{"name": "x"}"""));
        yield return KestrelRejects("A header value with raw non-ASCII bytes is Kestrel's 400", 400, RawBytes(
            [.. "GET /users/1 HTTP/1.1\r\nX-Name: "u8, 0xC3, 0xA9, 0xFF, .. "\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8]));

        // RFC 9110 section 15.6.6: an unsupported major version is a 505, the one 5xx Kestrel itself sends for a
        // client's request; the service never sees the request.
        yield return KestrelRejects("An unknown HTTP version is Kestrel's 505", 505, Raw("GET /users/1 HTTP/3.0\r\n" + ending));
        yield return KestrelRejects("A lowercase HTTP version is Kestrel's 505", 505, Raw("GET /users/1 http/1.1\r\n" + ending));

        // A client that stops sending midway through its body: Kestrel drops the connection without an answer.
        yield return KestrelRejects("A body cut off before its Content-Length gets no answer", NoAnswer, Raw(
            "POST /users HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n" + ending + """{"name": "x"}""",
            halfClose: true));

        // The body is read by the application: Kestrel's complaint arrives as an exception the handler answers.
        yield return Problem("A malformed chunk size is a 400", 400, Raw(
            "POST /users HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n" + ending + "zz\r\n{}\r\n0\r\n\r\n"));
        yield return Problem("A body with no length is read as empty and is a 400", 400, Raw(
            "POST /users HTTP/1.1\r\nContent-Type: application/json\r\n" + ending + """{"name": "x"}"""));
    }
}

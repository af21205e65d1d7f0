using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>Request headers under and over the documented 32 KiB, and over Kestrel's own hard limit of 128 KiB.</summary>
public sealed class HeadersTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Problem("One header of 64 KB is a 431", 431, WithHeaders(("X-Padding", new string('a', 64 * 1024))));
        yield return Problem("Sixty-four headers of 600 bytes each are a 431", 431,
            WithHeaders([.. Enumerable.Range(0, 64).Select(i => ($"X-Padding-{i}", new string('a', 600)))]));
        yield return Read("One header of 16 KB is served", WithHeaders(("X-Padding", new string('a', 16 * 1024))));

        // Over Kestrel's hard limit Kestrel answers itself: an empty 431, never problem+json.
        yield return KestrelRejects("One header of 200 KB is Kestrel's 431", 431, Raw(
            $"GET /users/1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Padding: {new string('a', 200 * 1024)}\r\n\r\n"));
    }
}

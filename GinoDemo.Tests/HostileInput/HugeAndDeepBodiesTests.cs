using System.Net.Http.Headers;
using System.Text;
using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>Bodies at and over the documented 64 KiB, however they are sent, and JSON nested too deep.</summary>
public sealed class HugeAndDeepBodiesTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Created("A body of exactly 64 KiB is accepted", "x", Post(PadTo("""{"name": "x"}""", MaxBodySize)));
        yield return Problem("A body one byte over 64 KiB is a 413", 413, Post(PadTo("""{"name": "x"}""", MaxBodySize + 1)));
        yield return Problem("A chunked body over 64 KiB is a 413", 413, async (api, _) =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/users")
            {
                Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(PadTo("""{"name": "x"}""", 2 * MaxBodySize)))),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TransferEncodingChunked = true;
            return await api.SendAsync(request);
        });
        yield return Problem("A declared length of a gigabyte is a 413 before the body is sent", 413, Raw(
            "POST /users HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n" +
            "Content-Length: 1000000000\r\n\r\n{\"name\": \"aaaa"));
        yield return Problem("A megabyte name is a 413", 413, PostName(new string('a', 1_000_000)));
        yield return Problem("Ten thousand unclosed brackets are a 400", 400, Post(new string('[', 10_000)));
        yield return Problem("Ten thousand nested arrays are a 400", 400, Post(new string('[', 10_000) + new string(']', 10_000)));
        yield return Problem("Ten thousand nested arrays as the name are a 400", 400,
            Post("{\"name\": " + new string('[', 10_000) + new string(']', 10_000) + "}"));
        yield return Problem("Ten thousand nested objects as the name are a 400", 400,
            Post("{\"name\": " + string.Concat(Enumerable.Repeat("{\"a\": ", 5_000)) + "1" + new string('}', 5_000) + "}"));
        yield return Problem("A hundred thousand brackets are a 413", 413, Post(new string('[', 100_000)));
        yield return Problem("A 30,000-element array in an unknown field is a 400", 400,
            Post("{\"name\": \"x\", \"junk\": [" + string.Join(',', Enumerable.Repeat('0', 30_000)) + "]}"));
    }
}

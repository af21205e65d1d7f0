using System.Text;
using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>Bodies declared as anything but UTF-8 JSON.</summary>
public sealed class ContentTypesTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
    {
        const string json = """{"name": "x"}""";
        yield return Problem("JSON sent as text/plain is a 415", 415, PostBytes(Encoding.UTF8.GetBytes(json), "text/plain"));
        yield return Problem("A form is a 415", 415, PostBytes("name=x"u8.ToArray(), "application/x-www-form-urlencoded"));
        yield return Problem("A multipart form is a 415", 415, (api, _) => api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/users")
        {
            Content = new MultipartFormDataContent { { new StringContent("x"), "name" } },
        }));
        yield return Problem("JSON without a content type is a 415", 415, PostBytes(Encoding.UTF8.GetBytes(json), null));
        yield return Problem("XML is a 415", 415, PostBytes("<name>x</name>"u8.ToArray(), "application/xml"));
        // A +json media type (RFC 6839) is JSON: it reaches the parser, which wants an object.
        yield return Problem("A JSON patch is JSON but not a user, a 400", 400,
            PostBytes("""[{"op": "add", "path": "/id", "value": 1}]"""u8.ToArray(), "application/json-patch+json"));

        // The API takes UTF-8 JSON only (RFC 8259 section 8.1): another charset is an unsupported media type.
        yield return Problem("JSON declared as Latin-1 is a 415", 415, PostBytes(Encoding.Latin1.GetBytes("""{"name": "Zoë"}"""), "application/json; charset=latin1"));
        yield return Problem("A malformed content type is a 415", 415, Raw(
            "POST /users HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: ;;;/json\r\nContent-Length: 13\r\n\r\n" + json));
        yield return Created("JSON declared as UTF-8 is accepted", "x", PostBytes(Encoding.UTF8.GetBytes(json), "application/json; charset=utf-8"));
    }
}

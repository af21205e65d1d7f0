using System.Text;
using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>
/// Ids that are not 64-bit integers or name no user, paths that try to leave the routes, and query strings that try to
/// choose the user.
/// </summary>
public sealed class OddIdsAndPathsTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Problem("A word for an id is a 400", 400, Get("/users/abc"));
        yield return Problem("A fraction for an id is a 400", 400, Get("/users/1.5"));
        yield return Problem("An exponent for an id is a 400", 400, Get("/users/1e3"));
        yield return Problem("A hexadecimal id is a 400", 400, Get("/users/0x10"));
        yield return Problem("A Visual Basic hexadecimal id is a 400", 400, Get("/users/&h10"));
        yield return Problem("A hash-prefixed hexadecimal id is a 400", 400, Get("/users/%2310"));
        yield return Problem("An id with a leading space is a 400", 400, (api, id) => Get($"/users/%20{id}")(api, id));
        yield return Problem("An id with a trailing space is a 400", 400, (api, id) => Get($"/users/{id}%20")(api, id));
        yield return Problem("DELETE with the hexadecimal form of a stored id is a 400", 400, (api, id) =>
            Raw($"DELETE /users/0x{id:x} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")(api, id));
        yield return Problem("An id just above the 64-bit range is a 400", 400, Get("/users/9223372036854775808"));
        yield return Problem("An id just below the 64-bit range is a 400", 400, Get("/users/-9223372036854775809"));
        yield return Problem("An id of four thousand digits is a 400", 400, Get("/users/" + new string('9', 4_000)));
        yield return Problem("A negative id is a 404", 404, Get("/users/-1"));
        yield return Problem("Id zero is a 404", 404, Get("/users/0"));
        yield return Problem("The largest 64-bit id is a 404", 404, Get("/users/9223372036854775807"));
        yield return Problem("An encoded space for an id is a 400", 400, Get("/users/%20"));

        // Kestrel refuses a path that decodes to a NUL character itself: an empty 400, never problem+json.
        yield return KestrelRejects("An encoded NUL for an id is Kestrel's 400", 400, Get("/users/%00"));
        yield return KestrelRejects("An id followed by an encoded NUL is Kestrel's 400", 400, Get("/users/1%00"));
        yield return KestrelRejects("An encoded NUL in an unknown route is Kestrel's 400", 400, Get("/nothing%00here"));

        yield return Problem("An id followed by a semicolon is a 400", 400, Get("/users/1;drop"));
        yield return Problem("An SQL injection in the id is a 400", 400, Get("/users/1%3B%20DROP%20TABLE%20users"));
        yield return Problem("A quoted SQL tautology in the id is a 400", 400, Get("/users/1'%20OR%20'1'='1"));
        yield return Problem("An encoded dot-dot-slash for an id is a 400", 400, Get("/users/..%2f"));
        yield return Problem("An encoded path traversal for an id is a 400", 400, Get("/users/%2e%2e%2f%2e%2e%2fetc%2fpasswd"));
        yield return Problem("An encoded lone surrogate for an id is a 400", 400, Get("/users/%ED%A0%80"));
        yield return Problem("A dot-dot path traversal is a 404", 404, Get("/users/1/../../etc/passwd"));
        yield return Problem("An overlong slash in the path is a 404", 404, Get("/%C0%AF"));
        yield return Problem("A double slash before users is a 404", 404, Get("//users/1"));
        yield return Problem("A double slash before the id is a 404", 404, Get("/users//1"));
        yield return Problem("A path under a user is a 404", 404, Get("/users/1/extra"));
        yield return Problem("A dotfile is a 404", 404, Get("/.env"));
        yield return Problem("An unknown route is a 404", 404, Get("/admin"));
        yield return Problem("A word for an id with a numeric query is a 400", 400, Get("/users/abc?uid=1"));

        // Kestrel refuses a request line over its 8 KB limit itself: an empty 414, never problem+json.
        yield return KestrelRejects("A path of twenty thousand characters is Kestrel's 414", 414, Raw(
            $"GET /users/{new string('9', 20_000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));

        // Query strings change nothing: the id comes from the path, and the body alone names the user.
        yield return Read("A query naming another id is ignored", (api, id) => Get($"/users/{id}?uid=999")(api, id));
        yield return Read("A malformed query string is ignored", (api, id) => Get($"/users/{id}?%zz=%ff&a[]=1&&=")(api, id));
        yield return Created("A query string trying to choose the id is ignored", "x",
            (api, _) => api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/users?id=1")
            {
                Content = new StringContent("""{"name": "x"}""", Encoding.UTF8, "application/json"),
            }));
    }
}

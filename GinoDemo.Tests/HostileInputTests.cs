using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>
/// Issue 3, "Hostile input never hurts the service": whatever a client sends, the answer is the expected client error
/// (never a 5xx) as RFC 9457 problem+json with a trace id, every user stored before is still there unchanged, and the
/// server keeps serving. Against a real Kestrel in the Production environment, so that Kestrel's own parsing and
/// limits are part of what is tested, as they are in production.
/// </summary>
/// <remarks>
/// Documented limits these cases hold the product to: a nickname is at most 256 Unicode code points (as PostgreSQL's
/// <c>char_length</c> counts them); a body is at most 64 KiB; request headers over 32 KiB in total are a 431 problem
/// (below Kestrel's own hard limit of 128 KiB, which stays Kestrel's empty 431).
/// </remarks>
public sealed class HostileInputTests : DatabaseTest
{
    private const int MaxNicknameLength = 256;
    private const int MaxBodySize = 64 * 1024;

    /// <summary>The status of an exchange that ended without an answer.</summary>
    private const int NoAnswer = HttpAnswer.NoAnswer;

    private static readonly string[] SeededNames = ["fantix", "Zoë 🐘 日本語", ""];

    private static KestrelApi _api = null!;
    private List<StoredUser> _seeded = null!;

    /// <summary>What a case sends, given the API and the id of a stored user.</summary>
    public delegate Task<HttpAnswer> Send(KestrelApi api, long storedId);

    public enum Outcome
    {
        /// <summary>A client error answered as problem+json.</summary>
        Problem,

        /// <summary>
        /// A client error Kestrel answers itself, before any middleware runs: its body is empty and cannot be
        /// problem+json. Documented as such; only the status, the data and the server's health are asserted.
        /// </summary>
        KestrelRejects,

        /// <summary>Harmless after all: a 201 storing exactly the nickname given.</summary>
        Created,

        /// <summary>Harmless after all: the stored user is read (200).</summary>
        Read,
    }

    [OneTimeSetUp]
    public static void StartKestrel() => _api = KestrelApi.Start();

    [OneTimeTearDown]
    public static async Task StopKestrel() => await _api.DisposeAsync();

    [SetUp]
    public async Task SeedUsers()
    {
        foreach (var name in SeededNames)
        {
            await ApiTest.CreateUserAsync(_api.Client, name);
        }

        _seeded = await ReadStoredUsersAsync();
        _seeded.Select(user => user.Nickname).Should().Equal(SeededNames);
    }

    [TestCaseSource(nameof(BrokenJson))]
    [TestCaseSource(nameof(OddTypes))]
    [TestCaseSource(nameof(ExtraFields))]
    [TestCaseSource(nameof(OddUnicode))]
    [TestCaseSource(nameof(LongNames))]
    [TestCaseSource(nameof(HugeAndDeepBodies))]
    [TestCaseSource(nameof(ContentTypes))]
    [TestCaseSource(nameof(OddIdsAndPaths))]
    [TestCaseSource(nameof(Methods))]
    [TestCaseSource(nameof(Headers))]
    [TestCaseSource(nameof(MalformedHttp))]
    [TestCaseSource(nameof(OddPages))]
    [TestCaseSource(nameof(PatchBodies))]
    [TestCaseSource(nameof(OddETagsAndKeys))]
    public async Task A_hostile_request_gets_its_expected_answer_and_hurts_nothing(Send send, Outcome outcome, int status, string? nickname, string? allow)
    {
        var answer = await send(_api, _seeded[0].Id);

        answer.Status.Should().Be(status, "the answer was {0}", answer);
        var stored = await ReadStoredUsersAsync();
        switch (outcome)
        {
            case Outcome.Problem:
                ShouldBeProblem(answer, status);
                stored.Should().Equal(_seeded, "a rejected request changes nothing");
                break;
            case Outcome.KestrelRejects:
                stored.Should().Equal(_seeded, "a rejected request changes nothing");
                break;
            case Outcome.Created:
                answer.MediaType.Should().Be("application/json");
                var created = JsonSerializer.Deserialize<StoredUser>(answer.Body, JsonSerializerOptions.Web)!;
                created.Nickname.Should().Be(nickname, "the nickname is stored exactly as sent");
                _seeded.Select(user => user.Id).Should().NotContain(created.Id);
                stored.Should().Equal(_seeded.Append(created), "only the new user is added");
                break;
            case Outcome.Read:
                JsonSerializer.Deserialize<StoredUser>(answer.Body, JsonSerializerOptions.Web).Should().Be(_seeded[0]);
                stored.Should().Equal(_seeded);
                break;
        }

        if (allow is not null)
        {
            answer.Headers.Should().ContainKey("Allow");
            answer.Headers["Allow"].Split(',', StringSplitOptions.TrimEntries).Should().BeEquivalentTo(allow.Split(", "));
        }

        await ShouldStillServeAsync();
    }

    private static IEnumerable<TestCaseData> BrokenJson()
    {
        yield return Problem("A truncated object is a 400", 400, Post("""{"name": "x" """));
        yield return Problem("A string cut off midway is a 400", 400, Post("""{"name": "x"""));
        yield return Problem("A lone opening brace is a 400", 400, Post("{"));
        yield return Problem("A lone closing brace is a 400", 400, Post("}"));
        yield return Problem("Trailing garbage after the object is a 400", 400, Post("""{"name": "x"} garbage"""));
        yield return Problem("A second object after the first is a 400", 400, Post("""{"name": "a"}{"name": "b"}"""));
        yield return Problem("A trailing comma is a 400", 400, Post("""{"name": "x",}"""));
        yield return Problem("A missing colon is a 400", 400, Post("""{"name" "x"}"""));
        yield return Problem("A block comment is a 400", 400, Post("""{"name": "x" /* admin */}"""));
        yield return Problem("A line comment is a 400", 400, Post("{\"name\": \"x\"} // admin\n"));
        yield return Problem("Single quotes are a 400", 400, Post("{'name': 'x'}"));
        yield return Problem("An unquoted field name is a 400", 400, Post("""{name: "x"}"""));
        yield return Problem("NaN is a 400", 400, Post("""{"name": NaN}"""));
        yield return Problem("Infinity is a 400", 400, Post("""{"name": -Infinity}"""));
        yield return Problem("A number with a huge exponent is a 400", 400, Post("""{"name": 1e999999}"""));
        yield return Problem("An unknown escape is a 400", 400, Post("""{"name": "\x41"}"""));
        yield return Problem("A truncated unicode escape is a 400", 400, Post("""{"name": "\u12"}"""));
        yield return Problem("A raw tab inside a string is a 400", 400, Post("{\"name\": \"a\tb\"}"));
        yield return Problem("A raw line feed inside a string is a 400", 400, Post("{\"name\": \"a\nb\"}"));
        yield return Problem("An empty body is a 400", 400, Post(""));
        yield return Problem("A body of whitespace is a 400", 400, Post(" \r\n\t "));
        yield return Problem("A top-level null is a 400", 400, Post("null"));
        yield return Problem("A top-level empty array is a 400", 400, Post("[]"));
        yield return Problem("A top-level array holding a user is a 400", 400, Post("""[{"name": "x"}]"""));
        yield return Problem("A top-level number is a 400", 400, Post("42"));
        yield return Problem("A top-level string is a 400", 400, Post("\"x\""));
        yield return Problem("A top-level boolean is a 400", 400, Post("true"));
        yield return Problem("An empty object is a 400", 400, Post("{}"));
        yield return Problem("A byte order mark alone is a 400", 400, PostBytes([0xEF, 0xBB, 0xBF], "application/json"));
        yield return Problem("A UTF-16 body sent as UTF-8 is a 400", 400,
            PostBytes(Encoding.Unicode.GetBytes("""{"name": "x"}"""), "application/json"));

        // RFC 8259 section 8.1: a parser may ignore a byte order mark; what is stored has none.
        yield return Created("A byte order mark before the JSON is ignored", "x",
            PostBytes([.. Encoding.UTF8.GetPreamble(), .. """{"name": "x"}"""u8], "application/json"));
    }

    private static IEnumerable<TestCaseData> OddTypes()
    {
        yield return Problem("A number for the name is a 400", 400, Post("""{"name": 42}"""));
        yield return Problem("A negative fraction for the name is a 400", 400, Post("""{"name": -1.5}"""));
        yield return Problem("A number too big for any integer for the name is a 400", 400, Post("""{"name": 123456789012345678901234567890}"""));
        yield return Problem("True for the name is a 400", 400, Post("""{"name": true}"""));
        yield return Problem("False for the name is a 400", 400, Post("""{"name": false}"""));
        yield return Problem("Null for the name is a 400", 400, Post("""{"name": null}"""));
        yield return Problem("An object for the name is a 400", 400, Post("""{"name": {"first": "x"}}"""));
        yield return Problem("A user inside the name is a 400", 400, Post("""{"name": {"name": "x"}}"""));
        yield return Problem("An array of strings for the name is a 400", 400, Post("""{"name": ["x"]}"""));
        yield return Problem("An empty array for the name is a 400", 400, Post("""{"name": []}"""));
    }

    private static IEnumerable<TestCaseData> ExtraFields()
    {
        yield return Problem("A client-chosen id before the name is a 400", 400, Post("""{"id": 5, "name": "x"}"""));
        yield return Problem("An id naming a stored user is a 400", 400, Post("""{"name": "x", "id": 1}"""));
        yield return Problem("A null id is a 400", 400, Post("""{"name": "x", "id": null}"""));
        yield return Problem("A nickname field is a 400", 400, Post("""{"name": "x", "nickname": "admin"}"""));
        yield return Problem("A nickname instead of a name is a 400", 400, Post("""{"nickname": "x"}"""));
        yield return Problem("A capitalised field name is a 400", 400, Post("""{"NAME": "x"}"""));
        yield return Problem("A name given twice is a 400", 400, Post("""{"name": "a", "name": "b"}"""));
        yield return Problem("A prototype-pollution field is a 400", 400, Post("""{"name": "x", "__proto__": {"admin": true}}"""));
        yield return Problem("A serializer reference field is a 400", 400, Post("""{"$id": "1", "name": "x"}"""));
        yield return Problem("A serializer type field is a 400", 400, Post("""{"$type": "GinoDemo.Data.User", "name": "x"}"""));
        yield return Problem("An unknown field named by a lone surrogate is a 400", 400, Post("""{"name": "x", "\ud800": 1}"""));
        yield return Problem("An unknown field named by a NUL character is a 400", 400, Post("""{"name": "x", "\u0000": 1}"""));
        yield return Problem("Three thousand unknown fields are a 400", 400,
            Post("{\"name\": \"x\"" + string.Concat(Enumerable.Range(0, 3000).Select(i => $", \"f{i}\": 0")) + "}"));
    }

    private static IEnumerable<TestCaseData> OddUnicode()
    {
        // PostgreSQL text cannot hold U+0000, and UTF-16 text with a lone surrogate has no UTF-8 form at all.
        yield return Problem("An escaped NUL character is a 400", 400, Post("""{"name": "\u0000"}"""));
        yield return Problem("An escaped NUL character inside the name is a 400", 400, Post("""{"name": "adm\u0000in"}"""));
        yield return Problem("A raw NUL byte inside the name is a 400", 400, PostUtf8Name([0x61, 0x00, 0x62]));
        yield return Problem("A lone high surrogate is a 400", 400, Post("""{"name": "\ud800"}"""));
        yield return Problem("A lone low surrogate is a 400", 400, Post("""{"name": "\udfff"}"""));
        yield return Problem("A surrogate pair in the wrong order is a 400", 400, Post("""{"name": "\udc18\ud83d"}"""));
        yield return Problem("A high surrogate at the end of the name is a 400", 400, Post("""{"name": "x\ud83d"}"""));

        // Bytes that are not UTF-8 at all.
        yield return Problem("A 0xFF byte is a 400", 400, PostUtf8Name([0x61, 0xFF, 0x62]));
        yield return Problem("A lone continuation byte is a 400", 400, PostUtf8Name([0x80]));
        yield return Problem("A truncated three-byte sequence is a 400", 400, PostUtf8Name([0xE2, 0x82]));
        yield return Problem("An overlong slash is a 400", 400, PostUtf8Name([0xC0, 0xAF]));
        yield return Problem("An overlong NUL is a 400", 400, PostUtf8Name([0xC0, 0x80]));
        yield return Problem("A three-byte overlong slash is a 400", 400, PostUtf8Name([0xE0, 0x80, 0xAF]));
        yield return Problem("A surrogate encoded as UTF-8 is a 400", 400, PostUtf8Name([0xED, 0xA0, 0x80]));
        yield return Problem("A code point above U+10FFFF is a 400", 400, PostUtf8Name([0xF4, 0x90, 0x80, 0x80]));
        yield return Problem("A five-byte sequence is a 400", 400, PostUtf8Name([0xF8, 0x88, 0x80, 0x80, 0x80]));

        // Odd but valid: PostgreSQL stores every Unicode scalar value but U+0000, so these are stored as sent.
        yield return Created("The escaped noncharacter U+FFFF is stored", "\uffff", Post("""{"name": "\uffff"}"""));
        yield return Created("The raw noncharacter U+FFFF is stored", "\uffff", PostUtf8Name([0xEF, 0xBF, 0xBF]));
        yield return Created("The noncharacter U+FFFE is stored", "\ufffe", Post("""{"name": "\ufffe"}"""));
        yield return Created("The last code point U+10FFFF is stored", "\U0010FFFF", Post("""{"name": "\udbff\udfff"}"""));
        yield return Created("A right-to-left override is stored", "\u202Egnp.exe", Post("{\"name\": \"\u202Egnp.exe\"}"));
        yield return Created("A zero-width joiner sequence is stored", "\U0001F469\u200D\U0001F4BB", Post("""{"name": "\ud83d\udc69\u200d\ud83d\udcbb"}"""));
        yield return Created("A lone zero-width joiner is stored", "\u200D", Post("""{"name": "\u200d"}"""));
        yield return Created("A raw four-byte emoji is stored", "🐘", Post("""{"name": "🐘"}"""));
        yield return Created("An escaped surrogate pair is stored as its emoji", "🐘", Post("""{"name": "\ud83d\udc18"}"""));
        yield return Created("A byte order mark inside the name is stored", "\uFEFFx", Post("""{"name": "\ufeffx"}"""));
        yield return Created("A line separator is stored", "a\u2028b", Post("""{"name": "a\u2028b"}"""));
        yield return Created("Control characters other than NUL are stored", "\u0001\u001b[31mred", Post("""{"name": "\u0001\u001b[31mred"}"""));
        yield return Created("Combining marks are stored unnormalised", "Zoe\u0308", Post("""{"name": "Zoe\u0308"}"""));
        yield return Created("A tower of combining marks is stored", "Z" + new string('\u0336', 200), Post("{\"name\": \"Z" + new string('\u0336', 200) + "\"}"));
    }

    private static IEnumerable<TestCaseData> LongNames()
    {
        // The documented maximum counts Unicode code points, as PostgreSQL's char_length does, not UTF-16 units.
        var emoji = "🐘";
        yield return Created("A name of 256 letters is stored", new string('a', MaxNicknameLength), PostName(new string('a', MaxNicknameLength)));
        yield return Problem("A name of 257 letters is a 400", 400, PostName(new string('a', MaxNicknameLength + 1)));
        yield return Created("A name of 256 emoji is stored", string.Concat(Enumerable.Repeat(emoji, MaxNicknameLength)),
            PostName(string.Concat(Enumerable.Repeat(emoji, MaxNicknameLength))));
        yield return Problem("A name of 257 emoji is a 400", 400, PostName(string.Concat(Enumerable.Repeat(emoji, MaxNicknameLength + 1))));
        yield return Created("A name of 255 letters and an emoji is 256 code points and stored", new string('a', 255) + emoji,
            PostName(new string('a', 255) + emoji));
        yield return Created("A name of 128 letters with combining accents is 256 code points and stored",
            string.Concat(Enumerable.Repeat("e\u0301", 128)), PostName(string.Concat(Enumerable.Repeat("e\u0301", 128))));
        yield return Problem("A name of 129 letters with combining accents is 258 code points and a 400", 400,
            PostName(string.Concat(Enumerable.Repeat("e\u0301", 129))));
        yield return Problem("A name of 60,000 letters is a 400", 400, PostName(new string('a', 60_000)));
    }

    private static IEnumerable<TestCaseData> HugeAndDeepBodies()
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

    private static IEnumerable<TestCaseData> ContentTypes()
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

    private static IEnumerable<TestCaseData> OddIdsAndPaths()
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

    private static IEnumerable<TestCaseData> Methods()
    {
        yield return Problem("PUT on a user is a 405", 405, Method("PUT", "/users/1"), allow: "GET, PATCH, DELETE");
        yield return Problem("POST on a user is a 405", 405, Method("POST", "/users/1"), allow: "GET, PATCH, DELETE");
        yield return Problem("OPTIONS on a user is a 405", 405, Method("OPTIONS", "/users/1"), allow: "GET, PATCH, DELETE");
        yield return Problem("TRACE on a user is a 405", 405, Method("TRACE", "/users/1"), allow: "GET, PATCH, DELETE");
        yield return Problem("An invented method on a user is a 405", 405, Method("FROBNICATE", "/users/1"), allow: "GET, PATCH, DELETE");
        yield return Problem("DELETE on the collection is a 405", 405, Method("DELETE", "/users"), allow: "GET, POST");
        yield return Problem("PUT on the collection is a 405", 405, Method("PUT", "/users"), allow: "GET, POST");
        yield return Problem("PATCH on the collection with a trailing slash is a 405", 405, Method("PATCH", "/users/"), allow: "GET, POST");
    }

    private static IEnumerable<TestCaseData> Headers()
    {
        yield return Problem("One header of 64 KB is a 431", 431, WithHeaders(("X-Padding", new string('a', 64 * 1024))));
        yield return Problem("Sixty-four headers of 600 bytes each are a 431", 431,
            WithHeaders([.. Enumerable.Range(0, 64).Select(i => ($"X-Padding-{i}", new string('a', 600)))]));
        yield return Read("One header of 16 KB is served", WithHeaders(("X-Padding", new string('a', 16 * 1024))));

        // Over Kestrel's hard limit Kestrel answers itself: an empty 431, never problem+json.
        yield return KestrelRejects("One header of 200 KB is Kestrel's 431", 431, Raw(
            $"GET /users/1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Padding: {new string('a', 200 * 1024)}\r\n\r\n"));
    }

    /// <summary>
    /// Requests HttpClient refuses to send, over a raw socket. Kestrel answers most of them itself, before any
    /// middleware runs: an empty body that cannot be problem+json (marked <see cref="Outcome.KestrelRejects"/>).
    /// </summary>
    private static IEnumerable<TestCaseData> MalformedHttp()
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

    private static IEnumerable<TestCaseData> OddPages()
    {
        foreach (var (query, what) in new[]
        {
            ("limit=0", "A limit of 0"), ("limit=201", "A limit of 201"), ("limit=-1", "A negative limit"),
            ("limit=0x10", "A hexadecimal limit"), ("limit=1e2", "A limit with an exponent"), ("limit=%2B5", "A limit with a plus sign"),
            ("limit=", "An empty limit"), ("limit=99999999999999999999", "A limit of twenty digits"), ("limit=1&limit=2", "A limit given twice"),
            ("after=abc", "A word for after"), ("after=1;DROP%20TABLE%20users", "An SQL injection in after"),
            ("after=1'%20OR%20'1'='1", "A quoted SQL tautology in after"), ("after=9223372036854775808", "An after above the 64-bit range"),
            ("after=%00", "An encoded NUL for after"),
        })
        {
            yield return Problem($"{what} is a 400", 400, Get($"/users?{query}"));
        }
    }

    private static IEnumerable<TestCaseData> PatchBodies()
    {
        yield return Problem("A PATCH with malformed JSON is a 400", 400, PatchStored("""{"name": "x" """));
        yield return Problem("A PATCH with a null name is a 400", 400, PatchStored("""{"name": null}"""));
        yield return Problem("A PATCH without a name is a 400", 400, PatchStored("{}"));
        yield return Problem("A PATCH choosing the id is a 400", 400, PatchStored("""{"name": "x", "id": 999}"""));
        yield return Problem("A PATCH with a NUL character is a 400", 400, PatchStored("""{"name": "a\u0000b"}"""));
        yield return Problem("A PATCH with a lone surrogate is a 400", 400, PatchStored("""{"name": "\ud800"}"""));
        yield return Problem("A PATCH with a name of 257 letters is a 400", 400, PatchStored(JsonSerializer.Serialize(new { name = new string('a', 257) })));
        yield return Problem("A PATCH with a name of 257 emoji is a 400", 400,
            PatchStored(JsonSerializer.Serialize(new { name = string.Concat(Enumerable.Repeat("🐘", 257)) })));
        yield return Problem("A JSON patch document is a 400", 400, PatchStored("""[{"op": "replace", "path": "/name", "value": "x"}]""", "application/json-patch+json"));
        yield return Problem("A PATCH as text/plain is a 415", 415, PatchStored("""{"name": "x"}""", "text/plain"));
        yield return Problem("A PATCH body over 64 KiB is a 413", 413, PatchStored(PadTo("""{"name": "x"}""", MaxBodySize + 1)));
        yield return Problem("A PATCH of a missing user is a 404", 404, (api, _) => Patch("/users/999999", """{"name": "x"}""")(api, 0));
        yield return Problem("A PATCH with a hexadecimal id is a 400", 400, (api, id) => Patch($"/users/0x{id:x}", """{"name": "x"}""")(api, id));
    }

    private static IEnumerable<TestCaseData> OddETagsAndKeys()
    {
        yield return Problem("An unquoted If-Match is a 400", 400, PatchStored("""{"name": "x"}""", headers: ("If-Match", "123")));
        yield return Problem("An unterminated If-Match is a 400", 400, PatchStored("""{"name": "x"}""", headers: ("If-Match", "\"123")));
        yield return Problem("A stale If-Match is a 412", 412, PatchStored("""{"name": "x"}""", headers: ("If-Match", "\"1\"")));
        yield return Problem("A weak If-Match is a 412", 412, PatchStored("""{"name": "x"}""", headers: ("If-Match", "W/\"1\"")));
        yield return Problem("An If-Match holding SQL is a 412", 412, PatchStored("""{"name": "x"}""", headers: ("If-Match", "\"1' OR '1'='1\"")));
        yield return Problem("A thousand stale tags in If-Match are a 412", 412,
            PatchStored("""{"name": "x"}""", headers: ("If-Match", string.Join(", ", Enumerable.Range(0, 1000).Select(i => $"\"{i}\"")))));
        yield return Problem("A DELETE with a stale If-Match is a 412", 412, (api, id) => SendRequest(HttpMethod.Delete, $"/users/{id}", null, null, ("If-Match", "\"1\""))(api, id));
        yield return Problem("A DELETE with a malformed If-Match is a 400", 400, (api, id) => SendRequest(HttpMethod.Delete, $"/users/{id}", null, null, ("If-Match", "*, x"))(api, id));
        yield return Problem("A malformed If-None-Match is a 400", 400, WithHeaders(("If-None-Match", "nonsense")));
        yield return Read("A stale If-None-Match reads the user", WithHeaders(("If-None-Match", "\"1\", W/\"2\"")));
        yield return Problem("An Idempotency-Key of 256 characters is a 400", 400, PostWithKey(new string('k', 256)));
        yield return Problem("An Idempotency-Key with a space is a 400", 400, PostWithKey("two words"));
        yield return Problem("A quoted Idempotency-Key with a bad escape is a 400", 400, PostWithKey("\"a\\nb\""));
        yield return Problem("An Idempotency-Key with text after its quotes is a 400", 400, PostWithKey("\"a\"b"));
        yield return Created("An Idempotency-Key full of punctuation is a key like any other", "x", PostWithKey("\"'; DROP TABLE idempotency_keys; --\""));
    }

    private static Send PatchStored(string json, string contentType = "application/json", params (string Name, string Value)[] headers) =>
        (api, id) => SendRequest(HttpMethod.Patch, $"/users/{id}", json, contentType, headers)(api, id);

    private static Send Patch(string path, string json) => SendRequest(HttpMethod.Patch, path, json, "application/json");

    private static Send PostWithKey(string key) => SendRequest(HttpMethod.Post, "/users", """{"name": "x"}""", "application/json", ("Idempotency-Key", key));

    private static Send SendRequest(HttpMethod method, string path, string? json, string? contentType, params (string Name, string Value)[] headers) => (api, _) =>
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value).Should().BeTrue();
        }

        return api.SendAsync(request);
    };

    private static TestCaseData Problem(string name, int status, Send send, string? allow = null) =>
        Case(name, send, Outcome.Problem, status, null, allow);

    private static TestCaseData KestrelRejects(string name, int status, Send send) => Case(name, send, Outcome.KestrelRejects, status, null, null);

    private static TestCaseData Created(string name, string nickname, Send send) => Case(name, send, Outcome.Created, 201, nickname, null);

    private static TestCaseData Read(string name, Send send) => Case(name, send, Outcome.Read, 200, null, null);

    private static TestCaseData Case(string name, Send send, Outcome outcome, int status, string? nickname, string? allow) =>
        new TestCaseData(send, outcome, status, nickname, allow).SetName(name);

    private static Send Post(string json) => PostBytes(Encoding.UTF8.GetBytes(json), "application/json");

    private static Send PostName(string name) => Post(JsonSerializer.Serialize(new { name }));

    /// <summary>A body <c>{"name": "..."}</c> whose name is these bytes as they are, valid UTF-8 or not.</summary>
    private static Send PostUtf8Name(byte[] name) => PostBytes([.. "{\"name\": \""u8, .. name, .. "\"}"u8], "application/json");

    private static Send PostBytes(byte[] body, string? contentType) => (api, _) =>
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/users") { Content = content });
    };

    /// <summary>A GET of the target exactly as written, over a raw socket (HttpClient would normalise it).</summary>
    private static Send Get(string target) => Raw($"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

    private static Send Method(string method, string path) => (api, _) => api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

    /// <summary>A GET of the stored user with these headers.</summary>
    private static Send WithHeaders(params (string Name, string Value)[] headers) =>
        (api, id) => SendRequest(HttpMethod.Get, $"/users/{id}", null, null, headers)(api, id);

    private static Send Raw(string request, bool halfClose = false) => RawBytes(Encoding.Latin1.GetBytes(request), halfClose);

    private static Send RawBytes(byte[] request, bool halfClose = false) => (api, _) => api.SendRawAsync(request, halfClose);

    /// <summary>The JSON followed by spaces up to exactly <paramref name="size"/> bytes.</summary>
    private static string PadTo(string json, int size) => json + new string(' ', size - Encoding.UTF8.GetByteCount(json));

    private static void ShouldBeProblem(HttpAnswer answer, int status)
    {
        answer.MediaType.Should().Be("application/problem+json", "the answer was {0}", answer);
        var problem = JsonDocument.Parse(answer.Body).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be(status);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        problem.GetProperty("traceId").GetString().Should().NotBeNullOrWhiteSpace();
    }

    private async Task ShouldStillServeAsync()
    {
        using var response = await _api.Client.GetAsync($"/users/{_seeded[0].Id}");
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(200, "the server keeps serving; it answered {0}", body);
        JsonSerializer.Deserialize<StoredUser>(body, JsonSerializerOptions.Web).Should().Be(_seeded[0]);
    }

    private static async Task<List<StoredUser>> ReadStoredUsersAsync()
    {
        await using var command = TestDatabase.DataSource.CreateCommand("SELECT id, nickname FROM users ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var users = new List<StoredUser>();
        while (await reader.ReadAsync())
        {
            users.Add(new StoredUser(reader.GetInt64(0), reader.GetString(1)));
        }

        return users;
    }

    private sealed record StoredUser(long Id, string Nickname);
}

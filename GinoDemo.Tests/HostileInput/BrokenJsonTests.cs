using System.Text;
using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>Bodies that are not JSON, or JSON that is not one object.</summary>
public sealed class BrokenJsonTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
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
}

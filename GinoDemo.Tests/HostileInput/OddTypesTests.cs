using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>Valid JSON whose name is not a string.</summary>
public sealed class OddTypesTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
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
}

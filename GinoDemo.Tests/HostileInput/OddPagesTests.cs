using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>Page parameters (<c>limit</c>, <c>after</c>) out of range or not plain decimal numbers.</summary>
public sealed class OddPagesTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
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
}

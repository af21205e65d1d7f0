using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>Methods a route does not take: a 405 whose <c>Allow</c> header lists the ones it does.</summary>
public sealed class MethodsTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
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
}

using static GinoDemo.Tests.HostileInput.HostileCases;
using static GinoDemo.Tests.HostileInput.HostileRequests;

namespace GinoDemo.Tests.HostileInput;

/// <summary>
/// Methods a route does not take: a 405 whose <c>Allow</c> header lists the ones it does, HEAD wherever GET is (RFC
/// 9110 sections 9.1 and 15.5.6).
/// </summary>
public sealed class MethodsTests : HostileInputTest
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Problem("PUT on a user is a 405", 405, Method("PUT", "/users/1"), allow: "GET, HEAD, PATCH, DELETE");
        yield return Problem("POST on a user is a 405", 405, Method("POST", "/users/1"), allow: "GET, HEAD, PATCH, DELETE");
        yield return Problem("OPTIONS on a user is a 405", 405, Method("OPTIONS", "/users/1"), allow: "GET, HEAD, PATCH, DELETE");
        yield return Problem("TRACE on a user is a 405", 405, Method("TRACE", "/users/1"), allow: "GET, HEAD, PATCH, DELETE");
        yield return Problem("An invented method on a user is a 405", 405, Method("FROBNICATE", "/users/1"), allow: "GET, HEAD, PATCH, DELETE");
        yield return Problem("DELETE on the collection is a 405", 405, Method("DELETE", "/users"), allow: "GET, HEAD, POST");
        yield return Problem("PUT on the collection is a 405", 405, Method("PUT", "/users"), allow: "GET, HEAD, POST");
        yield return Problem("PATCH on the collection with a trailing slash is a 405", 405, Method("PATCH", "/users/"), allow: "GET, HEAD, POST");
        yield return Problem("POST on the index is a 405", 405, Method("POST", "/"), allow: "GET, HEAD");
        yield return Problem("POST on the liveness probe is a 405", 405, Method("POST", "/healthz/live"), allow: "GET, HEAD");
        yield return Problem("DELETE on the readiness probe is a 405", 405, Method("DELETE", "/healthz/ready"), allow: "GET, HEAD");
        yield return Problem("POST on the OpenAPI document is a 405", 405, Method("POST", "/openapi.json"), allow: "GET, HEAD");
        yield return Problem("DELETE on the Swagger UI page is a 405", 405, Method("DELETE", "/docs/index.html"), allow: "GET, HEAD");
        yield return Problem("PUT on the ReDoc redirect is a 405", 405, Method("PUT", "/redoc"), allow: "GET, HEAD");
        yield return Problem("PATCH on a Swagger UI asset is a 405", 405, Method("PATCH", "/docs/swagger-ui.css"), allow: "GET, HEAD");
    }
}

using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

public sealed class RoutingTests : ApiTest
{
    [Test]
    public async Task The_index_says_hello()
    {
        using var response = await Client.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"message":"Hello, world!"}""");
    }

    [TestCase("PUT", "/users/1")]
    [TestCase("POST", "/users/1")]
    [TestCase("PATCH", "/users")]
    [TestCase("DELETE", "/users")]
    [TestCase("POST", "/")]
    public async Task Unsupported_methods_are_a_405_problem(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await Client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [TestCase("text/html", "GET", "/nothing-here", HttpStatusCode.NotFound)]
    [TestCase("application/xml", "PUT", "/users/1", HttpStatusCode.MethodNotAllowed)]
    [TestCase("text/plain", "GET", "/users/abc", HttpStatusCode.BadRequest)]
    public async Task Errors_are_problem_json_whatever_the_client_accepts(string accept, string method, string path, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await Client.SendAsync(request);

        await response.ShouldBeProblemAsync(status);
    }

    [TestCase("/nothing-here")]
    [TestCase("/users/1/extra")]
    public async Task Unknown_paths_are_a_404_problem(string path)
    {
        using var response = await Client.GetAsync(path);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}

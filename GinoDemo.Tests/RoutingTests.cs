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
    [TestCase("PATCH", "/users/1")]
    [TestCase("POST", "/users/1")]
    [TestCase("GET", "/users")]
    [TestCase("DELETE", "/users")]
    [TestCase("POST", "/")]
    public async Task Unsupported_methods_are_a_405_problem(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await Client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [TestCase("/nothing-here")]
    [TestCase("/users/1/extra")]
    public async Task Unknown_paths_are_a_404_problem(string path)
    {
        using var response = await Client.GetAsync(path);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}

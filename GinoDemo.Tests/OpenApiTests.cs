using System.Net;
using System.Text.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

public sealed class OpenApiTests : ApiTest
{
    [Test]
    public async Task The_document_declares_every_route_with_its_status_codes()
    {
        var document = await DocumentAsync();

        var paths = document.GetProperty("paths");
        // 429 (rate limit), 503 (database unavailable) and 504 (request timeout) can answer any database route.
        StatusCodes(paths, "/users", "post").Should().BeEquivalentTo("201", "400", "412", "413", "415", "422", "429", "503", "504");
        StatusCodes(paths, "/users/{uid}", "get").Should().BeEquivalentTo("200", "304", "400", "404", "412", "429", "503", "504");
        StatusCodes(paths, "/users/{uid}", "delete").Should().BeEquivalentTo("200", "400", "404", "412", "429", "503", "504");
        StatusCodes(paths, "/users", "get").Should().BeEquivalentTo("200", "304", "400", "412", "429", "503", "504");
        StatusCodes(paths, "/users/{uid}", "patch").Should().BeEquivalentTo("200", "400", "404", "412", "413", "415", "429", "503", "504");
        StatusCodes(paths, "/", "get").Should().BeEquivalentTo("200", "429");
        paths.GetProperty("/users/{uid}").GetProperty("get").GetProperty("responses").GetProperty("404").GetProperty("content")
            .EnumerateObject().Select(media => media.Name).Should().Equal("application/problem+json");
        paths.GetProperty("/users").GetProperty("post").GetProperty("responses").GetProperty("201").GetProperty("headers")
            .TryGetProperty("Location", out _).Should().BeTrue();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        schemas.EnumerateObject().Select(schema => schema.Name)
            .Should().Contain(["CreateUserRequest", "UserResponse", "DeletedUserResponse", "ProblemDetails", "ValidationProblemDetails"]);
        Required(schemas, "CreateUserRequest").Should().Equal("name");
        Required(schemas, "UserResponse").Should().Equal("id", "nickname");
        Required(schemas, "DeletedUserResponse").Should().Equal("id");
    }

    [TestCase("/users", "get", "limit", "query")]
    [TestCase("/users", "get", "after", "query")]
    [TestCase("/users", "post", "Idempotency-Key", "header")]
    [TestCase("/users", "get", "If-Match", "header")]
    [TestCase("/users", "get", "If-None-Match", "header")]
    [TestCase("/users", "post", "If-Match", "header")]
    [TestCase("/users", "post", "If-None-Match", "header")]
    [TestCase("/users/{uid}", "get", "If-Match", "header")]
    [TestCase("/users/{uid}", "get", "If-None-Match", "header")]
    [TestCase("/users/{uid}", "patch", "If-Match", "header")]
    [TestCase("/users/{uid}", "patch", "If-None-Match", "header")]
    [TestCase("/users/{uid}", "delete", "If-Match", "header")]
    [TestCase("/users/{uid}", "delete", "If-None-Match", "header")]
    public async Task The_document_declares_each_optional_parameter(string path, string method, string name, string location)
    {
        var operation = await OperationAsync(path, method);

        var parameter = operation.GetProperty("parameters").EnumerateArray()
            .Single(candidate => candidate.GetProperty("name").GetString() == name);
        parameter.GetProperty("in").GetString().Should().Be(location);
        (parameter.TryGetProperty("required", out var required) && required.GetBoolean()).Should().BeFalse("it is optional");
    }

    [TestCase("/users", "get", "200", "Link")]
    [TestCase("/users", "post", "201", "ETag")]
    [TestCase("/users/{uid}", "get", "200", "ETag")]
    [TestCase("/users/{uid}", "get", "304", "ETag")]
    [TestCase("/users/{uid}", "get", "412", "ETag")]
    [TestCase("/users/{uid}", "patch", "200", "ETag")]
    [TestCase("/users/{uid}", "patch", "412", "ETag")]
    [TestCase("/users/{uid}", "delete", "412", "ETag")]
    public async Task The_document_declares_each_response_header(string path, string method, string status, string header)
    {
        var operation = await OperationAsync(path, method);

        operation.GetProperty("responses").GetProperty(status)
            .GetProperty("headers").TryGetProperty(header, out _).Should().BeTrue();
    }

    [TestCase("/docs")]
    [TestCase("/redoc")]
    public async Task The_documentation_pages_are_served(string path)
    {
        using var response = await Client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.ShouldHaveMediaType("text/html");
        response.RequestMessage!.RequestUri!.AbsolutePath.Should().Be($"{path}/index.html");
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"url\":\"/openapi.json\"", "the page loads the served document");
    }

    private async Task<JsonElement> DocumentAsync() => JsonDocument.Parse(await Client.GetStringAsync("/openapi.json")).RootElement;

    private async Task<JsonElement> OperationAsync(string path, string method) =>
        (await DocumentAsync()).GetProperty("paths").GetProperty(path).GetProperty(method);

    private static IEnumerable<string?> Required(JsonElement schemas, string name) =>
        schemas.GetProperty(name).GetProperty("required").EnumerateArray().Select(field => field.GetString());

    private static IEnumerable<string> StatusCodes(JsonElement paths, string path, string method) =>
        paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(response => response.Name);
}

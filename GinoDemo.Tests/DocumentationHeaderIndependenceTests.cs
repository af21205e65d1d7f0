using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.Json;
using GinoDemo.Api.OpenApi;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>
/// The OpenAPI document and the documentation pages say the same to every client, whatever headers the first or
/// any other client sent (the document is cached after the first request).
/// </summary>
public sealed class DocumentationHeaderIndependenceTests
{
    private static readonly Dictionary<string, string> HostileHeaders = new()
    {
        ["Host"] = "evil.example",
        ["X-Forwarded-Host"] = "evil.example",
        ["X-Forwarded-Proto"] = "https",
        ["X-Forwarded-Prefix"] = "/evil",
    };

    [TestCase("/openapi.json")]
    [TestCase("/docs/index.html")]
    [TestCase("/redoc/index.html")]
    public async Task What_the_first_client_sends_changes_nothing_for_the_next_one(string path)
    {
        await using var api = new ApiFactory(); // fresh: nothing cached yet
        using var client = api.CreateClient();

        var hostile = await GetAsync(client, path, HostileHeaders);
        var plain = await GetAsync(client, path, []);

        hostile.Should().Be(plain);
        plain.Should().NotContain("evil");
    }

    [Test]
    public async Task The_document_names_no_server_unless_one_is_configured()
    {
        await using var api = new ApiFactory();
        using var client = api.CreateClient();

        var document = JsonDocument.Parse(await GetAsync(client, "/openapi.json", HostileHeaders)).RootElement;

        // OpenAPI 3.0.3 section 4.7.1: no servers (or an empty list) means "/", the origin the document came from.
        (document.TryGetProperty("servers", out var servers) ? servers.GetArrayLength() : 0).Should().Be(0);
    }

    [Test]
    public async Task A_configured_server_URL_is_the_document_server_and_the_pages_prefix_whatever_the_headers()
    {
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["OpenApi:ServerUrl"] = "https://api.example/users-service/" });
        using var client = api.CreateClient(new() { AllowAutoRedirect = false });

        var document = JsonDocument.Parse(await GetAsync(client, "/openapi.json", HostileHeaders)).RootElement;
        using var redirect = await SendAsync(client, "/docs", HostileHeaders);
        var page = await GetAsync(client, "/docs/index.html", HostileHeaders);

        document.GetProperty("servers").EnumerateArray().Select(server => server.GetProperty("url").GetString())
            .Should().Equal("https://api.example/users-service");
        redirect.StatusCode.Should().Be(HttpStatusCode.Found);
        redirect.Headers.Location!.OriginalString.Should().Be("/users-service/docs/index.html");
        page.Should().Contain("\"url\":\"/users-service/openapi.json\"").And.Contain("/users-service/docs/oauth2-redirect.html").And.NotContain("evil");
    }

    [Test]
    public async Task Forwarded_headers_from_a_trusted_proxy_do_not_change_the_document_either()
    {
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" }, useKestrel: true);
        using var client = api.CreateClient();

        var proxied = await GetAsync(client, "/openapi.json", HostileHeaders);
        var direct = await GetAsync(client, "/openapi.json", []);

        proxied.Should().Be(direct).And.NotContain("evil");
    }

    [TestCase("https://api.example/users", true)]
    [TestCase("http://127.0.0.1:8000", true)]
    [TestCase("", true)]
    [TestCase("/users", false)]
    [TestCase("ftp://api.example", false)]
    [TestCase("https://user:secret@api.example", false)]
    [TestCase("https://api.example/?debug=1", false)]
    [TestCase("https://api.example/#top", false)]
    public void A_server_URL_must_be_an_absolute_http_URL_without_credentials_query_or_fragment(string url, bool valid)
    {
        var options = new OpenApiDocsOptions { ServerUrl = url };

        Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true).Should().Be(valid);
    }

    private static async Task<string> GetAsync(HttpClient client, string path, Dictionary<string, string> headers)
    {
        using var response = await SendAsync(client, path, headers);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, Dictionary<string, string> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.Add(name, value);
            }
        }

        return client.SendAsync(request);
    }
}

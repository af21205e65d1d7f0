using System.Globalization;
using System.Text;
using System.Text.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>
/// HEAD on every GET route (RFC 9110 section 9.3.2): the GET's status and header fields, ETag and Link included, and no
/// content. On a real Kestrel, read off the socket, since only the server decides which bytes go out: after the
/// header section of a HEAD answer nothing may follow, and a Content-Length, if sent, is the GET's.
/// </summary>
public sealed class HeadRequestTests : DatabaseTest
{
    /// <summary>Fields that describe one message's framing or moment, not the resource (RFC 9110 sections 6.6.1, 8.6; RFC 9112 section 6.1).</summary>
    private static readonly string[] PerMessageFields = ["Date", "Content-Length", "Transfer-Encoding"];

    private KestrelApi _api = null!;

    [OneTimeSetUp]
    public void StartKestrel() => _api = KestrelApi.Start();

    [OneTimeTearDown]
    public async Task StopKestrel() => await _api.DisposeAsync();

    [TestCase("/", 200)]
    [TestCase("/users", 200)]
    [TestCase("/users?limit=1", 200)]
    [TestCase("/users/{id}", 200)]
    [TestCase("/users/{missing}", 404)]
    [TestCase("/users/abc", 400)]
    [TestCase("/healthz/live", 200)]
    [TestCase("/healthz/ready", 200)]
    [TestCase("/openapi.json", 200)]
    [TestCase("/docs", 302)]
    [TestCase("/docs/index.html", 200)]
    [TestCase("/docs/swagger-ui.css", 200)]
    [TestCase("/redoc", 302)]
    [TestCase("/redoc/index.html", 200)]
    public async Task Head_answers_the_gets_status_and_fields_without_content(string route, int status)
    {
        var id = await _api.Client.CreateUserAsync("a");
        await _api.Client.CreateUserAsync("b");
        var target = route.Replace("{id}", Id(id), StringComparison.Ordinal).Replace("{missing}", Id(id + 100), StringComparison.Ordinal);

        var get = await SendAsync("GET", target);
        var head = await SendAsync("HEAD", target);

        get.Status.Should().Be(status, "the GET answered {0}", get);
        head.Status.Should().Be(status);
        head.Body.Should().BeEmpty("no byte may follow the header section of a HEAD answer");
        Fields(head).Should().BeEquivalentTo(Fields(get));
        if (head.Headers.TryGetValue("Content-Length", out var length))
        {
            long.Parse(length, CultureInfo.InvariantCulture).Should().Be(Encoding.UTF8.GetByteCount(get.Body), "a HEAD's Content-Length is the GET's content length");
        }
    }

    [Test]
    public async Task Head_of_a_user_carries_its_etag_and_of_a_page_its_link()
    {
        var id = await _api.Client.CreateUserAsync("a");
        await _api.Client.CreateUserAsync("b");

        var user = await SendAsync("HEAD", $"/users/{id}");
        var page = await SendAsync("HEAD", "/users?limit=1");

        user.Headers["ETag"].Should().Be($"\"{await StoredUsers.VersionAsync(id)}\"");
        user.MediaType.Should().Be("application/json");
        page.Headers["Link"].Should().Be($"</users?limit=1&after={id}>; rel=\"next\"");
    }

    [Test]
    public async Task Head_with_the_current_etag_in_if_none_match_is_a_304_with_the_etag()
    {
        var id = await _api.Client.CreateUserAsync("a");
        var etag = $"\"{await StoredUsers.VersionAsync(id)}\"";

        var answer = await SendAsync("HEAD", $"/users/{id}", $"If-None-Match: {etag}");

        answer.Status.Should().Be(304);
        answer.Headers["ETag"].Should().Be(etag);
        answer.Body.Should().BeEmpty();
    }

    [Test]
    public async Task Head_with_another_etag_in_if_match_is_a_412_with_the_current_etag_and_no_content()
    {
        var id = await _api.Client.CreateUserAsync("a");

        var answer = await SendAsync("HEAD", $"/users/{id}", "If-Match: \"1\"");

        answer.Status.Should().Be(412);
        answer.Headers["ETag"].Should().Be($"\"{await StoredUsers.VersionAsync(id)}\"");
        answer.MediaType.Should().Be("application/problem+json");
        answer.Body.Should().BeEmpty();
    }

    [Test]
    public async Task The_document_leaves_head_out_because_every_get_implies_it()
    {
        using var response = await _api.Client.GetAsync("/openapi.json");
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");

        var operations = paths.EnumerateObject().SelectMany(path => path.Value.EnumerateObject().Select(operation => (Path: path.Name, Method: operation.Name, operation.Value))).ToList();

        operations.Select(operation => operation.Method).Should().NotContain("head");
        operations.Where(operation => operation.Method == "get").Select(operation => operation.Value.GetProperty("operationId").GetString())
            .Should().BeEquivalentTo("Index_Index", "Users_List", "Users_Get");
        operations.Where(operation => operation.Method == "get").Should().OnlyContain(operation =>
            operation.Value.GetProperty("description").GetString()!.Contains("HEAD answers the same", StringComparison.Ordinal));
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The answer's header fields but those of the message's own framing and time.</summary>
    private static Dictionary<string, string> Fields(HttpAnswer answer) =>
        answer.Headers.Where(field => !PerMessageFields.Contains(field.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(field => field.Key, field => field.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The request as bytes on a connection of its own, read until the server closes it.</summary>
    private Task<HttpAnswer> SendAsync(string method, string target, params string[] fields) =>
        _api.SendRawAsync(Encoding.ASCII.GetBytes(
            $"{method} {target} HTTP/1.1\r\nHost: localhost\r\n{string.Concat(fields.Select(field => field + "\r\n"))}Connection: close\r\n\r\n"));
}

using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>Headers that keep browsers from misusing the API's answers, on every response; CORS only when configured.</summary>
public sealed class SecurityHeaderTests : ApiTest
{
    private static readonly object[] Requests =
    [
        new object[] { "GET", "/" },
        new object[] { "GET", "/users/1" },
        new object[] { "GET", "/users/abc" },
        new object[] { "PUT", "/users/1" },
        new object[] { "GET", "/healthz/live" },
        new object[] { "GET", "/openapi.json" },
    ];

    [TestCaseSource(nameof(Requests))]
    public async Task Every_response_forbids_sniffing_framing_and_caching(string method, string path)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        response.Headers.GetValues("Content-Security-Policy").Should().Equal("default-src 'none'; frame-ancestors 'none'");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        response.Headers.Server.Should().BeEmpty();
    }

    [Test]
    public async Task Kestrel_names_no_server_and_speaks_HTTP_1_1_only()
    {
        await using var api = new ApiFactory(useKestrel: true);
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };

        using var response = await client.SendAsync(request);

        response.Headers.Server.Should().BeEmpty();
        response.Version.Should().Be(HttpVersion.Version11);
    }

    [TestCase("/docs/index.html", "style-src 'self'; connect-src 'self'")]
    [TestCase("/docs/swagger-ui-bundle.js", "style-src 'self'; connect-src 'self'")]
    [TestCase("/docs/oauth2-redirect.html", "style-src 'self'; connect-src 'self'")]
    [TestCase("/redoc/index.html", "style-src 'self' 'unsafe-inline'; worker-src blob:; connect-src 'self'")]
    [TestCase("/redoc/redoc.standalone.js", "style-src 'self' 'unsafe-inline'; worker-src blob:; connect-src 'self'")]
    public async Task The_documentation_pages_may_run_the_apps_scripts_only_and_not_be_framed(string path, string pageDirectives)
    {
        using var response = await Client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Content-Security-Policy").Should().Equal(
            "default-src 'none'; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; " + pageDirectives);
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
    }

    [Test]
    public async Task The_Swagger_UI_page_has_no_OAuth_settings_while_authentication_is_off()
    {
        var page = await Client.GetStringAsync("/docs/index.html");

        page.Should().NotContainAny("oauth\"", "clientId", "client_id", "clientSecret", "client_secret");
    }

    [Test]
    public async Task CORS_is_off_unless_origins_are_configured()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users/1");
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await Client.SendAsync(request);

        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    [Test]
    public async Task A_configured_origin_may_call_the_API_from_a_browser_and_others_may_not()
    {
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://app.example" });
        using var client = api.CreateClient();

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/users");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var allowed = await client.SendAsync(preflight);
        using var other = new HttpRequestMessage(HttpMethod.Get, "/users/1");
        other.Headers.Add("Origin", "https://evil.example");
        using var refused = await client.SendAsync(other);

        allowed.StatusCode.Should().Be(HttpStatusCode.NoContent);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal("https://app.example");
        refused.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    [Test]
    public async Task The_documentation_can_be_switched_off()
    {
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["OpenApi:Enabled"] = "false" });
        using var client = api.CreateClient();

        foreach (var path in new[] { "/docs", "/docs/index.html", "/redoc", "/openapi.json" })
        {
            using var response = await client.GetAsync(path);
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        (await client.GetAsync("/healthz/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task A_server_error_shows_no_stack_trace_exception_or_SQL()
    {
        // A database whose schema was never migrated: every query fails inside PostgreSQL.
        await using var database = new ScratchDatabase();
        await database.CreateAsync();
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["DB_DSN"] = database.Dsn });
        using var client = api.CreateClient();

        using var response = await client.GetAsync("/users/1");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        problem.GetProperty("traceId").GetString().Should().NotBeNullOrEmpty("the trace id finds the logged details");
        var body = problem.GetRawText();
        body.Should().NotContainAny("Npgsql", "Exception", "42P01", "relation", "SELECT", " at ");
        api.Logs.Messages.Should().Contain(line => line.Contains("42P01", StringComparison.Ordinal), "the details are in the server's log");
    }
}

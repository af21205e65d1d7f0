using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Authentication;

/// <summary>Reads need the read scope, writes the write scope: 401 without a token, 403 with a valid one that lacks the scope.</summary>
public sealed class ScopeTests : AuthenticatedApiTest
{
    private static readonly string[] AdminRole = ["Users.Admin"];

    protected override (string Key, string Value)[] Settings => [("Auth:WriteRole", "Users.Admin")];

    [Test]
    public async Task A_request_without_a_token_is_401_with_a_bare_Bearer_challenge()
    {
        using var response = await Client.SendWithTokenAsync(HttpMethod.Get, "/users", token: null);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Challenge().Should().Be("Bearer");
    }

    [Test]
    public async Task A_write_with_only_the_read_scope_is_403_insufficient_scope()
    {
        using var response = await Client.SendWithTokenAsync(HttpMethod.Post, "/users", Issuer.Token(scope: "users.read"), """{"name":"fantix"}""");

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        response.Challenge().Should().StartWith("Bearer error=\"insufficient_scope\"").And.EndWith("scope=\"users.write\"");
        (await StoredUsers.CountAsync()).Should().Be(0);
    }

    [Test]
    public async Task A_read_with_only_the_write_scope_is_403()
    {
        using var response = await Client.SendWithTokenAsync(HttpMethod.Get, "/users", Issuer.Token(scope: "users.write"));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        response.Challenge().Should().EndWith("scope=\"users.read\"");
    }

    [Test]
    public async Task Every_write_method_needs_the_write_scope()
    {
        var reader = Issuer.Token(scope: "users.read");
        (await Client.SendWithTokenAsync(HttpMethod.Patch, "/users/1", reader, """{"name":"x"}""")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Client.SendWithTokenAsync(HttpMethod.Delete, "/users/1", reader)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Client.SendWithTokenAsync(HttpMethod.Delete, "/users/1", token: null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task The_write_scope_creates_changes_and_deletes()
    {
        var writer = Issuer.Token(scope: "openid users.write");
        using var created = await Client.SendWithTokenAsync(HttpMethod.Post, "/users", writer, """{"name":"fantix"}""");
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var path = created.Headers.Location!.ToString();

        (await Client.SendWithTokenAsync(HttpMethod.Patch, path, writer, """{"name":"gino"}""")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Client.SendWithTokenAsync(HttpMethod.Delete, path, writer)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task Microsoft_Entra_scp_claims_and_app_roles_count_as_scopes()
    {
        var entraScopes = Issuer.Token(change: token => token.Claims = new Dictionary<string, object> { ["sub"] = "bob", ["scp"] = "users.read" });
        var appRole = Issuer.Token(change: token => token.Claims = new Dictionary<string, object> { ["sub"] = "daemon", ["roles"] = AdminRole });

        (await Client.SendWithTokenAsync(HttpMethod.Get, "/users", entraScopes)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Client.SendWithTokenAsync(HttpMethod.Post, "/users", appRole, """{"name":"fantix"}""")).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Test]
    public async Task Probes_and_docs_stay_open()
    {
        (await Client.GetAsync("/healthz/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Client.GetAsync("/healthz/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Client.GetAsync("/openapi.json")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Client.GetAsync("/docs/index.html")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

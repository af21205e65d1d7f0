using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Authentication;

/// <summary><c>Auth:AnonymousReads</c>: reads need no token; writes still need the write scope.</summary>
public sealed class AnonymousReadsTests : AuthenticatedApiTest
{
    protected override (string Key, string Value)[] Settings => [("Auth:AnonymousReads", "true")];

    [Test]
    public async Task Reads_need_no_token_when_reads_are_anonymous()
    {
        var id = await TestDatabase.ScalarAsync<long>("INSERT INTO users (nickname) VALUES ('fantix') RETURNING id");

        (await Client.GetAsync("/users")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Client.GetAsync($"/users/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task Writes_still_need_the_write_scope()
    {
        using var anonymous = await Client.SendWithTokenAsync(HttpMethod.Post, "/users", token: null, """{"name":"fantix"}""");
        using var reader = await Client.SendWithTokenAsync(HttpMethod.Post, "/users", Issuer.Token(scope: "users.read"), """{"name":"fantix"}""");

        await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await reader.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await StoredUsers.CountAsync()).Should().Be(0);
    }
}

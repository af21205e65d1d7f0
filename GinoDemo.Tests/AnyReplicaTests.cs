using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>
/// Any replica serves any request: two API instances on one database (as behind a load balancer) give the same ETags,
/// accept each other's in If-Match, link pages without their own host (whatever Host or X-Forwarded-Host says), and
/// replay each other's idempotent answers. Nothing of it is kept in a process.
/// </summary>
public sealed class AnyReplicaTests : ApiTest
{
    [Test]
    public async Task A_user_created_on_one_replica_is_read_renamed_and_deleted_through_another_with_its_ETags()
    {
        await using var other = new ApiFactory();
        using var second = other.CreateClient();
        using var created = await Client.PostAsJsonAsync("/users", new { name = "anywhere" });
        var id = (await created.Content.ReadFromJsonAsync<UserBody>())!.Id;

        using var read = await second.GetAsync($"/users/{id}");
        ETags.Of(read).Should().Be(ETags.Of(created)).And.NotBeNull();
        using var renamed = await second.SendAsync(HttpMethod.Patch, $"/users/{id}", """{"name": "elsewhere"}""", ("If-Match", ETags.Of(read)!));
        renamed.StatusCode.Should().Be(HttpStatusCode.OK);
        using var stale = await Client.SendAsync(HttpMethod.Delete, $"/users/{id}", null, ("If-Match", ETags.Of(read)!));
        stale.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed, "the first replica sees the second's write");
        ETags.Of(stale).Should().Be(ETags.Of(renamed));
        using var deleted = await Client.SendAsync(HttpMethod.Delete, $"/users/{id}", null, ("If-Match", ETags.Of(renamed)!));
        deleted.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task Page_links_are_the_same_on_every_replica_and_name_no_host()
    {
        await using var other = new ApiFactory();
        using var second = other.CreateClient();
        await Client.CreateUserAsync("a");
        var b = await Client.CreateUserAsync("b");

        using var here = await Client.SendAsync(HttpMethod.Get, "/users?limit=1", null, ("Host", "replica-1.internal:8000"));
        using var there = await second.SendAsync(HttpMethod.Get, "/users?limit=1", null, ("Host", "replica-2.internal:8000"), ("X-Forwarded-Host", "evil.example"));

        var next = $"/users?limit=1&after={b - 1}";
        (await here.Content.ReadFromJsonAsync<PageBody>())!.Next.Should().Be(next);
        (await there.Content.ReadFromJsonAsync<PageBody>())!.Next.Should().Be(next);
        here.Headers.GetValues("Link").Should().Equal(there.Headers.GetValues("Link")).And.Equal($"<{next}>; rel=\"next\"");
    }

    [Test]
    public async Task An_idempotent_create_retried_on_another_replica_gets_the_first_answer()
    {
        await using var other = new ApiFactory();
        using var second = other.CreateClient();

        using var first = await Client.SendAsync(HttpMethod.Post, "/users", """{"name": "once"}""", ("Idempotency-Key", "\"any-replica\""));
        using var retry = await second.SendAsync(HttpMethod.Post, "/users", """{"name": "once"}""", ("Idempotency-Key", "\"any-replica\""));

        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        (await retry.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        retry.Headers.Location.Should().Be(first.Headers.Location);
        ETags.Of(retry).Should().Be(ETags.Of(first));
        (await StoredUsers.CountAsync()).Should().Be(1);
    }

    private sealed record PageBody(IReadOnlyList<UserBody> Items, string? Next);
}

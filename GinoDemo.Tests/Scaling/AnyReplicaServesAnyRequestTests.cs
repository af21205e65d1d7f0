using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Scaling;

/// <summary>
/// Scenario 1: replicas share nothing but the database, so a user created on one is read, renamed with the
/// <c>If-Match</c> of another's answer, replayed by its <c>Idempotency-Key</c>, listed page by page and deleted on the
/// others, addressed directly and through HAProxy; an ETag or a next link from one replica means the same on all.
/// </summary>
public sealed class AnyReplicaServesAnyRequestTests : ScalingTest
{
    [Test]
    public async Task A_user_created_on_one_replica_is_read_renamed_replayed_listed_and_deleted_on_the_others()
    {
        using var a = Client(0);
        using var b = Client(1);
        using var c = Client(2);
        using var proxy = Client();
        var requests = 0;
        async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null, params (string, string)[] headers)
        {
            requests++;
            var response = await client.SendAsync(method, path, body is null ? null : System.Text.Json.JsonSerializer.Serialize(body), headers);
            await response.Content.LoadIntoBufferAsync();
            return response;
        }

        var name = $"any replica {Run}";
        using var created = await SendAsync(a, HttpMethod.Post, "/users", new { name });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<UserBody>())!.Id;
        var createdTag = ETags.Of(created);

        foreach (var reader in new[] { b, c, proxy })
        {
            using var read = await SendAsync(reader, HttpMethod.Get, $"/users/{id}");
            read.StatusCode.Should().Be(HttpStatusCode.OK, "a user created on replica 1 is there for {0}", reader.BaseAddress);
            (await read.Content.ReadFromJsonAsync<UserBody>()).Should().Be(new UserBody(id, name));
            ETags.Of(read).Should().Be(createdTag, "the ETag is the row's version, not a replica's");
            using var notModified = await SendAsync(reader, HttpMethod.Get, $"/users/{id}", null, ("If-None-Match", createdTag!));
            notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        }

        using var renamed = await SendAsync(c, HttpMethod.Patch, $"/users/{id}", new { name = name + " renamed" }, ("If-Match", createdTag!));
        renamed.StatusCode.Should().Be(HttpStatusCode.OK, "replica 3 honours replica 1's ETag");
        var renamedTag = ETags.Of(renamed);
        using var stale = await SendAsync(a, HttpMethod.Patch, $"/users/{id}", new { name = "lost update" }, ("If-Match", createdTag!));
        stale.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed, "replica 1 sees replica 3's rename");
        ETags.Of(stale).Should().Be(renamedTag);

        var key = Guid.NewGuid().ToString();
        using var keyed = await SendAsync(b, HttpMethod.Post, "/users", new { name = name + " keyed" }, ("Idempotency-Key", key));
        keyed.StatusCode.Should().Be(HttpStatusCode.Created);
        var keyedBody = await keyed.Content.ReadAsStringAsync();
        foreach (var replay in new[] { a, c, proxy })
        {
            using var again = await SendAsync(replay, HttpMethod.Post, "/users", new { name = name + " keyed" }, ("Idempotency-Key", key));
            again.StatusCode.Should().Be(HttpStatusCode.Created);
            (await again.Content.ReadAsStringAsync()).Should().Be(keyedBody, "a key used on replica 2 replays its answer on {0}", replay.BaseAddress);
            again.Headers.Location.Should().Be(keyed.Headers.Location);
        }

        // The first page from one replica, its next link followed on another: the same walk.
        var seen = new List<long>();
        string? next = "/users?limit=1";
        var clients = new[] { a, b, c, proxy };
        for (var page = 0; next is not null; page++)
        {
            using var listed = await SendAsync(clients[page % clients.Length], HttpMethod.Get, next);
            listed.StatusCode.Should().Be(HttpStatusCode.OK);
            var body = System.Text.Json.JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement;
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()));
            next = body.GetProperty("next").GetString();
        }

        seen.Should().OnlyHaveUniqueItems().And.Contain(id).And.BeInAscendingOrder();

        using var deleted = await SendAsync(proxy, HttpMethod.Delete, $"/users/{id}", null, ("If-Match", renamedTag!));
        deleted.StatusCode.Should().Be(HttpStatusCode.OK, "the proxy's replica honours replica 3's ETag");
        foreach (var reader in new[] { a, b, c })
        {
            using var gone = await SendAsync(reader, HttpMethod.Get, $"/users/{id}");
            gone.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        var stored = await StoredAsync(Run);
        stored.Should().ContainSingle("the keyed create ran once across four replays on three replicas");
        Report.Add("1. Any replica serves any request",
        [
            ("requests (3 replicas directly and HAProxy)", requests),
            ("pages walked, next link followed on the next replica", seen.Count),
            ("keyed create replayed on other replicas, rows stored", stored.Count),
            ("result", "ETags, If-Match/If-None-Match, Idempotency-Key and next links mean the same on every replica"),
        ]);
    }
}

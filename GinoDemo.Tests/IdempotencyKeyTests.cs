using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>POST /users with an Idempotency-Key: a retry gets the first answer again and creates nothing more.</summary>
public sealed class IdempotencyKeyTests : ApiTest
{
    [Test]
    public async Task The_same_key_and_body_answer_the_first_answer_again_and_store_one_user()
    {
        var first = await Users.CreateAsync(new() { Name = "fantix" }, idempotency_Key: "key-1");
        var retry = await Users.CreateAsync(new() { Name = "fantix" }, idempotency_Key: "key-1");

        first.StatusCode.Should().Be(201);
        retry.StatusCode.Should().Be(201);
        retry.Result.Id.Should().Be(first.Result.Id);
        retry.Headers["Location"].Should().Equal($"/users/{first.Result.Id}");
        ETags.Of(retry).Should().Be(ETags.Of(first)).And.NotBeNull();
        (await StoredUsers.CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task A_replay_is_byte_for_byte_the_first_answer_even_after_the_user_changed()
    {
        using var first = await PostAsync("""{"name": "a"}""", "key-1");
        var firstBody = await first.Content.ReadAsStringAsync();
        var id = (await first.Content.ReadFromJsonAsync<UserBody>())!.Id;
        await Users.UpdateAsync(id, new() { Name = "renamed" });

        using var retry = await PostAsync("""{"name": "a"}""", "key-1");

        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        first.Content.Headers.ContentType.Should().NotBeNull();
        retry.Content.Headers.ContentType.Should().Be(first.Content.Headers.ContentType);
        (await retry.Content.ReadAsStringAsync()).Should().Be(firstBody).And.Be($$"""{"id":{{id}},"nickname":"a"}""");
        retry.Headers.Location.Should().Be(first.Headers.Location);
        ETags.Of(retry).Should().Be(ETags.Of(first));
    }

    [Test]
    public async Task The_same_body_spelled_differently_is_the_same_request()
    {
        using var first = await PostAsync("""{"name": "a"}""", "key-1");
        using var retry = await PostAsync("""{ "name" : "\u0061" }""", "key-1");

        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.Location.Should().Be(first.Headers.Location);
        (await StoredUsers.CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task The_same_key_with_another_body_is_a_422_problem_and_stores_nothing_more()
    {
        await Users.CreateAsync(new() { Name = "a" }, idempotency_Key: "key-1");

        using var response = await PostAsync("""{"name": "b"}""", "key-1");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("detail").GetString().Should().Contain("Idempotency-Key");
        (await StoredUsers.CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task Different_keys_create_different_users()
    {
        var first = await Users.CreateAsync(new() { Name = "a" }, idempotency_Key: "key-1");
        var second = await Users.CreateAsync(new() { Name = "a" }, idempotency_Key: "key-2");

        second.Result.Id.Should().NotBe(first.Result.Id);
        (await StoredUsers.CountAsync()).Should().Be(2);
    }

    [Test]
    public async Task Without_a_key_every_post_creates_a_user_and_no_key_is_stored()
    {
        await Client.CreateUserAsync("a");
        await Client.CreateUserAsync("a");

        (await StoredUsers.CountAsync()).Should().Be(2);
        (await TestDatabase.CountAsync("SELECT count(*) FROM idempotency_keys")).Should().Be(0);
    }

    [Test]
    public async Task A_quoted_key_is_the_same_key_as_its_bare_form()
    {
        using var bare = await PostAsync("""{"name": "a"}""", "key-1");
        using var quoted = await PostAsync("""{"name": "a"}""", "\"key-1\"");

        quoted.Headers.Location.Should().Be(bare.Headers.Location);
        (await StoredUsers.CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task Two_requests_with_the_same_key_at_once_store_one_user_and_get_identical_answers()
    {
        // The first holds the key while it waits for the table; the second waits for the first to commit.
        var responses = await TableLock.RaceAsync(() => PostAsync("""{"name": "a"}""", "key-1"), () => PostAsync("""{"name": "a"}""", "key-1"));

        await ShouldBeIdenticalCreatedAnswersAsync(responses);
    }

    [Test]
    public async Task A_retry_sent_to_another_replica_while_the_first_is_running_gets_the_same_answer()
    {
        await using var otherReplica = new ApiFactory();
        using var otherClient = otherReplica.CreateClient();

        var responses = await TableLock.RaceAsync(
            () => PostAsync("""{"name": "a"}""", "key-1"), () => PostAsync("""{"name": "a"}""", "key-1", otherClient));

        await ShouldBeIdenticalCreatedAnswersAsync(responses);
    }

    [Test]
    public async Task A_key_still_replays_its_first_answer_a_minute_before_its_24_hours_end()
    {
        var first = await Users.CreateAsync(new() { Name = "a" }, idempotency_Key: "key-1");
        // 24 hours is the lifetime README promises: 23 h 59 min is inside it.
        await TestDatabase.ExecuteAsync("UPDATE idempotency_keys SET created_at = now() - interval '23 hours 59 minutes'");

        var retry = await Users.CreateAsync(new() { Name = "a" }, idempotency_Key: "key-1");

        retry.Result.Id.Should().Be(first.Result.Id, "the key is still alive: the first answer again");
        (await StoredUsers.CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task An_expired_key_is_free_for_a_new_request()
    {
        var first = await Users.CreateAsync(new() { Name = "a" }, idempotency_Key: "key-1");
        // A minute past the 24 hours README promises.
        await TestDatabase.ExecuteAsync("UPDATE idempotency_keys SET created_at = now() - interval '24 hours 1 minute'");

        var second = await Users.CreateAsync(new() { Name = "b" }, idempotency_Key: "key-1");

        second.Result.Id.Should().NotBe(first.Result.Id);
        second.Result.Nickname.Should().Be("b");
        (await StoredUsers.CountAsync()).Should().Be(2);
    }

    [Test]
    public async Task Expired_keys_are_deleted_in_the_background_and_live_ones_are_kept()
    {
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["Idempotency:CleanupInterval"] = "00:00:00.2" });
        using var client = api.CreateClient();
        (await PostAsync("""{"name": "a"}""", "old", client)).Dispose();
        (await PostAsync("""{"name": "a"}""", "live", client)).Dispose();
        (await PostAsync("""{"name": "a"}""", "grace", client)).Dispose();
        await TestDatabase.ExecuteAsync("UPDATE idempotency_keys SET created_at = now() - interval '24 hours 30 minutes' WHERE key = 'grace'");
        // Past the lifetime (24 h) and the cleanup's hour of grace.
        await TestDatabase.ExecuteAsync("UPDATE idempotency_keys SET created_at = now() - interval '26 hours' WHERE key = 'old'");

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await TestDatabase.CountAsync("SELECT count(*) FROM idempotency_keys WHERE key = 'old'") > 0)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the cleanup runs every 0.2 s");
            await Task.Delay(100);
        }

        (await TestDatabase.CountAsync("SELECT count(*) FROM idempotency_keys WHERE key = 'live'")).Should().Be(1);
        (await TestDatabase.CountAsync("SELECT count(*) FROM idempotency_keys WHERE key = 'grace'"))
            .Should().Be(1, "an expired key is kept an hour longer, for a request that found it just before it expired");
    }

    [TestCase("two words", TestName = "A bare key with a space is a 400")]
    [TestCase("\"unterminated", TestName = "An unterminated quoted key is a 400")]
    [TestCase("\"a\"b", TestName = "Text after a quoted key is a 400")]
    [TestCase("\"bad\\escape\"", TestName = "An escape other than quote or backslash is a 400")]
    [TestCase("\"\"", TestName = "An empty quoted key is a 400")]
    [TestCase("back\\slash", TestName = "A bare key with a backslash is a 400")]
    public async Task A_malformed_key_is_a_400_problem_naming_the_header_and_stores_nothing(string key)
    {
        using var response = await PostAsync("""{"name": "a"}""", key);

        await ShouldBeInvalidKeyAsync(response);
    }

    [Test]
    public async Task A_key_of_255_characters_is_accepted_and_256_is_a_400()
    {
        using var longest = await PostAsync("""{"name": "a"}""", new string('k', 255));
        using var tooLong = await PostAsync("""{"name": "a"}""", new string('k', 256));

        longest.StatusCode.Should().Be(HttpStatusCode.Created);
        await ShouldBeInvalidKeyAsync(tooLong, usersStored: 1);
    }

    [Test]
    public async Task Two_keys_in_one_request_are_a_400()
    {
        using var response = await Client.SendAsync(HttpMethod.Post, "/users", """{"name": "a"}""", ("Idempotency-Key", "key-1"), ("Idempotency-Key", "key-2"));

        await ShouldBeInvalidKeyAsync(response);
    }

    private static async Task ShouldBeInvalidKeyAsync(HttpResponseMessage response, int usersStored = 0)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Should().Equal("Idempotency-Key");
        (await StoredUsers.CountAsync()).Should().Be(usersStored);
    }

    private static async Task ShouldBeIdenticalCreatedAnswersAsync(HttpResponseMessage[] responses)
    {
        responses.Select(response => response.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        var bodies = await Task.WhenAll(responses.Select(response => response.Content.ReadAsStringAsync()));
        bodies.Distinct().Should().ContainSingle();
        responses.Select(response => response.Headers.Location).Distinct().Should().ContainSingle();
        responses.Select(ETags.Of).Distinct().Should().ContainSingle();
        (await StoredUsers.CountAsync()).Should().Be(1);
    }

    private Task<HttpResponseMessage> PostAsync(string json, string key, HttpClient? client = null) =>
        (client ?? Client).SendAsync(HttpMethod.Post, "/users", json, "application/json", ("Idempotency-Key", key));
}

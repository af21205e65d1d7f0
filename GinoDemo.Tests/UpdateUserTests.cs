using System.Net;
using System.Text.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

public sealed class UpdateUserTests : ApiTest
{
    [Test]
    public async Task Renaming_answers_200_with_the_renamed_user_and_stores_the_name()
    {
        var id = await Client.CreateUserAsync("before");

        var renamed = await Users.UpdateAsync(id, new() { Name = "after" });

        renamed.StatusCode.Should().Be(200);
        (renamed.Result.Id, renamed.Result.Nickname).Should().Be((id, "after"));
        (await StoredUsers.NicknameAsync(id)).Should().Be("after");
    }

    [Test]
    public async Task The_answer_is_exactly_id_and_nickname()
    {
        var id = await Client.CreateUserAsync("before");

        using var response = await PatchAsync($"/users/{id}", """{"name": "after"}""");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.ShouldHaveMediaType("application/json");
        (await response.Content.ReadAsStringAsync()).Should().Be($$"""{"id":{{id}},"nickname":"after"}""");
    }

    [Test]
    public async Task A_json_merge_patch_renames_too()
    {
        var id = await Client.CreateUserAsync("before");

        using var response = await PatchAsync($"/users/{id}", """{"name": "merged"}""", "application/merge-patch+json");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await StoredUsers.NicknameAsync(id)).Should().Be("merged");
    }

    [Test]
    public async Task Renaming_leaves_other_users_alone()
    {
        var renamed = await Client.CreateUserAsync("a");
        var other = await Client.CreateUserAsync("b");

        await Users.UpdateAsync(renamed, new() { Name = "c" });

        (await StoredUsers.NicknameAsync(other)).Should().Be("b");
    }

    [Test]
    public async Task Renaming_a_missing_user_is_a_404_problem_that_names_it()
    {
        using var response = await PatchAsync("/users/42", """{"name": "x"}""");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Be("User 42 is not found");
        (await StoredUsers.CountAsync()).Should().Be(0);
    }

    [TestCase(256, HttpStatusCode.OK)]
    [TestCase(257, HttpStatusCode.BadRequest)]
    public async Task The_name_may_have_up_to_256_code_points(int length, HttpStatusCode status)
    {
        var id = await Client.CreateUserAsync("before");
        var name = string.Concat(Enumerable.Repeat("🐘", length));

        using var response = await PatchAsync($"/users/{id}", JsonSerializer.Serialize(new { name }));

        response.StatusCode.Should().Be(status);
        (await StoredUsers.NicknameAsync(id)).Should().Be(status == HttpStatusCode.OK ? name : "before");
    }

    [TestCase("{}", "name", TestName = "Renaming without a name is a 400 naming the field")]
    [TestCase("""{"name": null}""", "name", TestName = "Renaming to null is a 400 naming the field")]
    [TestCase("""{"name": 42}""", "name", TestName = "Renaming to a number is a 400 naming the field")]
    [TestCase("""{"name": "x", "id": 7}""", "id", TestName = "Renaming cannot change the id")]
    [TestCase("""{"name": "a\u0000b"}""", "name", TestName = "Renaming to a NUL character is a 400")]
    [TestCase("""{"name": "a", "name": "b"}""", "name", TestName = "Renaming with a name given twice is a 400")]
    [TestCase("""{"name": "x""", "name", TestName = "Renaming with malformed JSON is a 400")]
    [TestCase("", "body", TestName = "Renaming with an empty body is a 400")]
    public async Task Invalid_bodies_are_rejected_as_when_creating_and_change_nothing(string json, string field)
    {
        var id = await Client.CreateUserAsync("before");

        using var response = await PatchAsync($"/users/{id}", json);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Should().Equal(field);
        (await StoredUsers.NicknameAsync(id)).Should().Be("before");
    }

    [Test]
    public async Task A_body_that_is_not_json_is_a_415_and_changes_nothing()
    {
        var id = await Client.CreateUserAsync("before");

        using var response = await PatchAsync($"/users/{id}", "name=after", "application/x-www-form-urlencoded");

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        (await StoredUsers.NicknameAsync(id)).Should().Be("before");
    }

    private Task<HttpResponseMessage> PatchAsync(string path, string json, string mediaType = "application/json") =>
        Client.SendAsync(HttpMethod.Patch, path, json, mediaType);
}

using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>If-Match on PATCH and DELETE: optimistic concurrency, with no lost update even when clients race.</summary>
public sealed class IfMatchTests : ApiTest
{
    [Test]
    public async Task Renaming_with_the_current_etag_proceeds()
    {
        var (id, etag) = await Users.CreateWithETagAsync("a");

        var renamed = await Users.UpdateAsync(id, new() { Name = "b" }, if_Match: etag);

        renamed.Result.Nickname.Should().Be("b");
        (await StoredUsers.NicknameAsync(id)).Should().Be("b");
    }

    [Test]
    public async Task Deleting_with_the_current_etag_proceeds()
    {
        var (id, etag) = await Users.CreateWithETagAsync("a");

        var deleted = await Users.DeleteAsync(id, if_Match: etag);

        deleted.Result.Id.Should().Be(id);
        (await StoredUsers.CountAsync()).Should().Be(0);
    }

    [Test]
    public async Task Renaming_with_a_stale_etag_is_a_412_problem_with_the_current_etag_and_changes_nothing()
    {
        var (id, stale) = await Users.CreateWithETagAsync("a");
        var current = ETags.Of(await Users.UpdateAsync(id, new() { Name = "b" }));

        using var response = await PatchAsync(id, "c", stale);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        problem.GetProperty("detail").GetString().Should().Contain($"User {id} ");
        ETags.Of(response).Should().Be(current);
        (await StoredUsers.NicknameAsync(id)).Should().Be("b");
    }

    [Test]
    public async Task Deleting_with_a_stale_etag_is_a_412_problem_and_deletes_nothing()
    {
        var (id, stale) = await Users.CreateWithETagAsync("a");
        await Users.UpdateAsync(id, new() { Name = "b" });

        using var response = await DeleteAsync(id, stale);

        await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        (await StoredUsers.NicknameAsync(id)).Should().Be("b");
    }

    [Test]
    public async Task A_weak_etag_never_matches_because_if_match_compares_strongly()
    {
        var (id, etag) = await Users.CreateWithETagAsync("a");

        using var patch = await PatchAsync(id, "b", $"W/{etag}");
        using var delete = await DeleteAsync(id, $"W/{etag}");

        patch.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        delete.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        (await StoredUsers.NicknameAsync(id)).Should().Be("a");
    }

    [Test]
    public async Task A_list_holding_the_current_etag_or_a_star_proceeds()
    {
        var (id, etag) = await Users.CreateWithETagAsync("a");

        using var list = await PatchAsync(id, "b", $"\"1\", {etag}");
        using var star = await PatchAsync(id, "c", "*");

        list.StatusCode.Should().Be(HttpStatusCode.OK);
        star.StatusCode.Should().Be(HttpStatusCode.OK);
        (await StoredUsers.NicknameAsync(id)).Should().Be("c");
    }

    [Test]
    public async Task A_missing_user_is_a_404_not_a_412()
    {
        var (id, etag) = await Users.CreateWithETagAsync("a");
        await Users.DeleteAsync(id);

        using var patch = await PatchAsync(id, "b", etag);
        using var delete = await DeleteAsync(id, etag);
        using var star = await PatchAsync(id, "b", "*");

        await patch.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await delete.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await star.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [TestCase("abc")]
    [TestCase("\"unterminated")]
    public async Task A_malformed_header_is_a_400_problem_naming_it_and_changes_nothing(string header)
    {
        var (id, _) = await Users.CreateWithETagAsync("a");

        using var patch = await PatchAsync(id, "b", header);
        using var delete = await DeleteAsync(id, header);

        var problem = await patch.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Should().Equal("If-Match");
        await delete.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await StoredUsers.NicknameAsync(id)).Should().Be("a");
    }

    [Test]
    public async Task Of_two_renames_racing_with_the_same_etag_exactly_one_wins()
    {
        var (id, etag) = await Users.CreateWithETagAsync("a");

        var responses = await TableLock.RaceAsync(() => PatchAsync(id, "first", etag), () => PatchAsync(id, "second", etag));

        responses.Select(response => response.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed]);
        var winner = responses.Single(response => response.StatusCode == HttpStatusCode.OK);
        (await StoredUsers.NicknameAsync(id)).Should().Be((await winner.Content.ReadFromJsonAsync<UserBody>())!.Nickname, "the loser changed nothing");
        await responses.Single(response => response != winner).ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Test]
    public async Task Of_a_rename_and_a_delete_racing_with_the_same_etag_exactly_one_wins()
    {
        var (id, etag) = await Users.CreateWithETagAsync("a");

        var responses = await TableLock.RaceAsync(() => PatchAsync(id, "renamed", etag), () => DeleteAsync(id, etag));

        var (patch, delete) = (responses[0].StatusCode, responses[1].StatusCode);
        new[] { patch, delete }.Count(status => status == HttpStatusCode.OK).Should().Be(1);
        // The rename won: the delete finds another version (412). The delete won: the rename finds no user (404).
        if (patch == HttpStatusCode.OK)
        {
            delete.Should().Be(HttpStatusCode.PreconditionFailed);
            (await StoredUsers.NicknameAsync(id)).Should().Be("renamed");
        }
        else
        {
            patch.Should().Be(HttpStatusCode.NotFound);
            (await StoredUsers.CountAsync()).Should().Be(0);
        }
    }

    private Task<HttpResponseMessage> PatchAsync(long id, string name, string ifMatch) =>
        Client.SendAsync(HttpMethod.Patch, $"/users/{id}", System.Text.Json.JsonSerializer.Serialize(new { name }), ("If-Match", ifMatch));

    private Task<HttpResponseMessage> DeleteAsync(long id, string ifMatch) => Client.SendAsync(HttpMethod.Delete, $"/users/{id}", null, ("If-Match", ifMatch));
}

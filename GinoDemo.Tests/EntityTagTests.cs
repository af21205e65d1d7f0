using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>Single-user answers carry a strong ETag: the row's version, which every change to the row replaces.</summary>
public sealed class EntityTagTests : ApiTest
{
    [Test]
    public async Task Creating_reading_and_renaming_answer_a_strong_etag_of_the_current_version()
    {
        var created = await Users.CreateAsync(new() { Name = "a" });
        var id = created.Result.Id;
        var read = await Users.GetAsync(id);
        var renamed = await Users.UpdateAsync(id, new() { Name = "b" });
        var readAgain = await Users.GetAsync(id);

        ETags.Of(created).Should().MatchRegex("^\"[0-9]+\"$", "a strong tag: quoted, without W/");
        ETags.Of(read).Should().Be(ETags.Of(created), "nothing changed in between");
        ETags.Of(renamed).Should().NotBe(ETags.Of(created));
        ETags.Of(readAgain).Should().Be(ETags.Of(renamed));
    }

    [Test]
    public async Task A_change_made_outside_the_api_changes_the_etag_too()
    {
        var id = await Client.CreateUserAsync("a");
        using var before = await Client.GetAsync($"/users/{id}");

        await TestDatabase.ExecuteAsync($"UPDATE users SET nickname = 'changed' WHERE id = {id}");
        using var after = await Client.GetAsync($"/users/{id}");

        ETags.Of(after).Should().NotBe(ETags.Of(before));
    }

    [Test]
    public async Task A_missing_user_has_no_etag()
    {
        using var response = await Client.GetAsync("/users/42");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Headers.ETag.Should().BeNull();
    }
}

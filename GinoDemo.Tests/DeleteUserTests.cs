using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

public sealed class DeleteUserTests : ApiTest
{
    [Test]
    public async Task Deleting_answers_the_id_and_leaves_other_users_alone()
    {
        var doomed = await Client.CreateUserAsync("doomed");
        var kept = await Client.CreateUserAsync("kept");

        using var response = await Client.DeleteAsync($"/users/{doomed}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be($$"""{"id":{{doomed}}}""");
        (await Client.GetFromJsonAsync<UserBody>($"/users/{kept}"))!.Nickname.Should().Be("kept");
        (await StoredUsers.CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task Deleting_a_missing_user_is_a_404_problem()
    {
        using var response = await Client.DeleteAsync("/users/42");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Be("User 42 is not found");
    }

    [Test]
    public async Task Deleting_twice_is_a_404_the_second_time()
    {
        var id = await Client.CreateUserAsync("once");
        (await Client.DeleteAsync($"/users/{id}")).Dispose();

        using var again = await Client.DeleteAsync($"/users/{id}");

        await again.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Deleting_with_an_id_that_is_not_an_int64_is_a_400_and_deletes_nothing()
    {
        await Client.CreateUserAsync("kept");

        using var response = await Client.DeleteAsync("/users/1%20OR%201=1");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await StoredUsers.CountAsync()).Should().Be(1);
    }
}

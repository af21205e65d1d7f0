using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

public sealed class ReadUserTests : ApiTest
{
    [Test]
    public async Task A_stored_user_is_returned_as_id_and_nickname()
    {
        var id = await Client.CreateUserAsync("fantix");

        using var response = await Client.GetAsync($"/users/{id}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be($$"""{"id":{{id}},"nickname":"fantix"}""");
    }

    [Test]
    public async Task A_missing_user_is_a_404_problem_that_names_it()
    {
        using var response = await Client.GetAsync("/users/42");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Be("User 42 is not found");
    }

    [TestCase("abc")]
    [TestCase("1.5")]
    [TestCase("9223372036854775808")]
    [TestCase("-9223372036854775809")]
    public async Task An_id_that_is_not_an_int64_is_a_400(string id)
    {
        using var response = await Client.GetAsync($"/users/{id}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("uid", out _).Should().BeTrue();
    }

    [TestCase("9223372036854775807")]
    [TestCase("-1")]
    [TestCase("0")]
    public async Task Extreme_int64_ids_are_simply_not_found(string id)
    {
        using var response = await Client.GetAsync($"/users/{id}");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}

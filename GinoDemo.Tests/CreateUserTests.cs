using System.Net;
using System.Net.Http.Json;
using System.Text;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

public sealed class CreateUserTests : ApiTest
{
    [Test]
    public async Task Creating_answers_201_with_the_location_and_exactly_id_and_nickname()
    {
        using var response = await Client.PostAsJsonAsync("/users", new { name = "fantix" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.ShouldHaveMediaType("application/json");
        var body = await response.Content.ReadAsStringAsync();
        var id = (await response.Content.ReadFromJsonAsync<UserBody>())!.Id;
        body.Should().Be($$"""{"id":{{id}},"nickname":"fantix"}""");
        response.Headers.Location.Should().Be(new Uri($"/users/{id}", UriKind.Relative));
    }

    [Test]
    public async Task Ids_come_from_the_database_and_increase()
    {
        var first = await Client.CreateUserAsync("a");
        var second = await Client.CreateUserAsync("b");

        second.Should().BeGreaterThan(first);
    }

    [Test]
    public async Task An_empty_name_is_allowed()
    {
        using var response = await Client.PostAsJsonAsync("/users", new { name = "" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await response.Content.ReadFromJsonAsync<UserBody>())!.Nickname.Should().BeEmpty();
    }

    [Test]
    public async Task Unicode_names_are_stored_as_sent()
    {
        const string name = "Zoë 🐘 日本語";

        var id = await Client.CreateUserAsync(name);

        using var read = await Client.GetAsync($"/users/{id}");
        (await read.Content.ReadFromJsonAsync<UserBody>())!.Nickname.Should().Be(name);
    }

    [TestCase("{}", "name", TestName = "A missing name is a 400 naming the field")]
    [TestCase("""{"name": null}""", "name", TestName = "A null name is a 400 naming the field")]
    [TestCase("""{"name": 42}""", "name", TestName = "A number for the name is a 400 naming the field")]
    [TestCase("""{"name": ["a"]}""", "name", TestName = "An array for the name is a 400 naming the field")]
    [TestCase("""{"name": "x", "id": 7}""", "id", TestName = "A client-chosen id is a 400 naming the field")]
    [TestCase("""{"name": "a\u0000b"}""", "name", TestName = "A NUL character PostgreSQL cannot store is a 400")]
    [TestCase("""{"name": "\ud800"}""", "name", TestName = "A lone surrogate is a 400")]
    [TestCase("""{"name": "a", "name": "b"}""", "name", TestName = "A name given twice is a 400")]
    [TestCase("""{"Name": "a"}""", "Name", TestName = "Field names are case-sensitive")]
    [TestCase("""{"name": "x""", "name", TestName = "Malformed JSON is a 400")]
    [TestCase("[]", "body", TestName = "A JSON array body is a 400")]
    [TestCase("", "body", TestName = "An empty body is a 400")]
    public async Task Invalid_bodies_are_rejected_and_nothing_is_stored(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync("/users", content);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Should().Equal(field);
        problem.GetProperty("detail").GetString().Should().StartWith($"The request is invalid: {field}: ").And.NotContainAny("System.", "GinoDemo.");
        (await StoredUsers.CountAsync()).Should().Be(0);
    }

    [Test]
    public async Task A_body_that_is_not_json_is_a_415()
    {
        using var content = new StringContent("name=fantix", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await Client.PostAsync("/users", content);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        (await StoredUsers.CountAsync()).Should().Be(0);
    }
}

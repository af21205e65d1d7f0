using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>The tutorial's tests/test_users.py::test_crud, step by step.</summary>
public sealed class CrudTests : ApiTest
{
    [Test]
    public async Task A_user_can_be_created_read_and_deleted_once()
    {
        const string nickname = "fantix";

        using var created = await Client.PostAsJsonAsync("/users", new { name = nickname });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var user = (await created.Content.ReadFromJsonAsync<UserBody>())!;
        user.Nickname.Should().Be(nickname);

        using var read = await Client.GetAsync($"/users/{user.Id}");
        read.StatusCode.Should().Be(HttpStatusCode.OK);
        (await read.Content.ReadFromJsonAsync<UserBody>()).Should().Be(user);

        using var deleted = await Client.DeleteAsync($"/users/{user.Id}");
        deleted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await deleted.Content.ReadAsStringAsync()).Should().Be($$"""{"id":{{user.Id}}}""");

        using var readAgain = await Client.GetAsync($"/users/{user.Id}");
        readAgain.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}

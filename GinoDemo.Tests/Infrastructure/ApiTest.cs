using System.Net.Http.Json;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>Base of the HTTP tests: a clean database before each test and a client of the shared API.</summary>
public abstract class ApiTest : DatabaseTest
{
    protected HttpClient Client { get; private set; } = null!;

    [SetUp]
    public void CreateClient() => Client = TestDatabase.Api.CreateClient();

    [TearDown]
    public void DisposeClient() => Client.Dispose();

    protected async Task<long> CreateUserAsync(string name)
    {
        using var response = await Client.PostAsJsonAsync("/users", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<UserBody>())!.Id;
    }

    protected static async Task<long> CountUsersAsync()
    {
        await using var command = TestDatabase.DataSource.CreateCommand("SELECT count(*) FROM users");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected sealed record UserBody(long Id, string Nickname);
}

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

    protected Task<long> CreateUserAsync(string name) => CreateUserAsync(Client, name);

    /// <summary>Creates a user through the API and returns its id.</summary>
    public static async Task<long> CreateUserAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsJsonAsync("/users", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<UserBody>())!.Id;
    }

    protected static Task<long> CountUsersAsync() => TestDatabase.CountAsync("SELECT count(*) FROM users");

    protected sealed record UserBody(long Id, string Nickname);
}

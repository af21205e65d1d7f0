using System.Net.Http.Json;
using GinoDemo.Client;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>Base of the HTTP tests: a clean database before each test and a client of the shared API.</summary>
public abstract class ApiTest : DatabaseTest
{
    protected HttpClient Client { get; private set; } = null!;

    /// <summary>The typed client generated from docs/openapi.json, over <see cref="Client"/>: for the happy paths.</summary>
    protected UsersClient Users { get; private set; } = null!;

    [SetUp]
    public void CreateClient()
    {
        Client = TestDatabase.Api.CreateClient();
        Users = new UsersClient(Client);
    }

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

    protected static Task<string?> NicknameAsync(long id) => TestDatabase.ScalarAsync<string>($"SELECT nickname FROM users WHERE id = {id}");

    protected static Task<long> CountUsersAsync() => TestDatabase.CountAsync("SELECT count(*) FROM users");

    /// <summary>The single ETag of an answer, as sent.</summary>
    protected static string? ETagOf(HttpResponseMessage response) => response.Headers.ETag?.ToString();

    protected static string? ETagOf(SwaggerResponse response) =>
        response.Headers.TryGetValue("ETag", out var values) ? values.Single() : null;

    public sealed record UserBody(long Id, string Nickname);
}

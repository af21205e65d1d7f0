using System.Net.Http.Json;
using System.Text;
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

    /// <summary>Creates a user through the typed client and returns its id and the ETag of the answer.</summary>
    protected async Task<(long Id, string ETag)> CreateUserWithETagAsync(string name)
    {
        var created = await Users.CreateAsync(new() { Name = name });
        return (created.Result.Id, ETagOf(created)!);
    }

    /// <summary>The overload below through <see cref="Client"/>, a body sent as <c>application/json</c>.</summary>
    protected Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, params (string Name, string Value)[] headers) =>
        SendAsync(Client, method, path, json, "application/json", headers);

    /// <summary>
    /// Sends a request with an optional body of this media type (UTF-8) and headers added unvalidated, so that
    /// malformed values reach the API as written.
    /// </summary>
    protected static Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpMethod method, string path, string? json, string mediaType, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, mediaType);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value).Should().BeTrue();
        }

        return client.SendAsync(request);
    }

    protected static Task<string?> NicknameAsync(long id) => TestDatabase.ScalarAsync<string>($"SELECT nickname FROM users WHERE id = {id}");

    protected static Task<long> CountUsersAsync() => TestDatabase.CountAsync("SELECT count(*) FROM users");

    /// <summary>The single ETag of an answer, as sent.</summary>
    protected static string? ETagOf(HttpResponseMessage response) => response.Headers.ETag?.ToString();

    protected static string? ETagOf(SwaggerResponse response) =>
        response.Headers.TryGetValue("ETag", out var values) ? values.Single() : null;

    public sealed record UserBody(long Id, string Nickname);
}

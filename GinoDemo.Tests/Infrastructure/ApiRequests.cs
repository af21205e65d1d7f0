using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using GinoDemo.Client;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>Requests the tests send through a client of the API, whichever way it is hosted.</summary>
public static class ApiRequests
{
    /// <summary>Creates a user through the API and returns its id.</summary>
    public static async Task<long> CreateUserAsync(this HttpClient client, string name)
    {
        using var response = await client.PostAsJsonAsync("/users", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<UserBody>())!.Id;
    }

    /// <summary>Creates a user through the typed client and returns its id and the ETag of the answer.</summary>
    public static async Task<(long Id, string ETag)> CreateWithETagAsync(this UsersClient users, string name)
    {
        var created = await users.CreateAsync(new() { Name = name });
        return (created.Result.Id, ETags.Of(created)!);
    }

    /// <summary>The overload below with a body sent as <c>application/json</c>.</summary>
    public static Task<HttpResponseMessage> SendAsync(
        this HttpClient client, HttpMethod method, string path, string? json, params (string Name, string Value)[] headers) =>
        client.SendAsync(method, path, json, "application/json", headers);

    /// <summary>Sends <see cref="Request"/> with a body of this media type in UTF-8 (<c>charset=utf-8</c> added).</summary>
    public static Task<HttpResponseMessage> SendAsync(
        this HttpClient client, HttpMethod method, string path, string? json, string mediaType, params (string Name, string Value)[] headers) =>
        client.SendAsync(Request(method, path, json, $"{mediaType}; charset=utf-8", headers));

    /// <summary>
    /// A request with an optional body (UTF-8) declared exactly as <paramref name="contentType"/>, and headers added
    /// unvalidated, so that malformed values reach the API as written.
    /// </summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? json, string? contentType, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value).Should().BeTrue();
        }

        return request;
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.HostileInput;

/// <summary>The requests the hostile cases send: through <see cref="HttpClient"/> where it sends them as written, over a raw socket where it would not.</summary>
public static class HostileRequests
{
    public static Send Post(string json) => PostBytes(Encoding.UTF8.GetBytes(json), "application/json");

    public static Send PostName(string name) => Post(JsonSerializer.Serialize(new { name }));

    /// <summary>A body <c>{"name": "..."}</c> whose name is these bytes as they are, valid UTF-8 or not.</summary>
    public static Send PostUtf8Name(byte[] name) => PostBytes([.. "{\"name\": \""u8, .. name, .. "\"}"u8], "application/json");

    public static Send PostBytes(byte[] body, string? contentType) => (api, _) =>
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/users") { Content = content });
    };

    public static Send PostWithKey(string key) => SendRequest(HttpMethod.Post, "/users", """{"name": "x"}""", "application/json", ("Idempotency-Key", key));

    /// <summary>A PATCH of the stored user.</summary>
    public static Send PatchStored(string json, string contentType = "application/json", params (string Name, string Value)[] headers) =>
        (api, id) => SendRequest(HttpMethod.Patch, $"/users/{id}", json, contentType, headers)(api, id);

    public static Send Patch(string path, string json) => SendRequest(HttpMethod.Patch, path, json, "application/json");

    /// <summary>A GET of the target exactly as written, over a raw socket (HttpClient would normalise it).</summary>
    public static Send Get(string target) => Raw($"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

    /// <summary>A GET of the stored user with these headers.</summary>
    public static Send WithHeaders(params (string Name, string Value)[] headers) =>
        (api, id) => SendRequest(HttpMethod.Get, $"/users/{id}", null, null, headers)(api, id);

    public static Send Method(string method, string path) => (api, _) => api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

    /// <summary>Sends <see cref="ApiRequests.Request"/>: the body's content type exactly as given, headers unvalidated.</summary>
    public static Send SendRequest(HttpMethod method, string path, string? json, string? contentType, params (string Name, string Value)[] headers) =>
        (api, _) => api.SendAsync(ApiRequests.Request(method, path, json, contentType, headers));

    /// <summary>These characters as Latin-1 bytes over a raw socket (see <see cref="RawBytes"/>).</summary>
    public static Send Raw(string request, bool halfClose = false) => RawBytes(Encoding.Latin1.GetBytes(request), halfClose);

    /// <summary>Bytes as they are on a new connection, for requests HttpClient refuses to send (<see cref="Infrastructure.KestrelApi.SendRawAsync"/>).</summary>
    public static Send RawBytes(byte[] request, bool halfClose = false) => (api, _) => api.SendRawAsync(request, halfClose);

    /// <summary>The JSON followed by spaces up to exactly <paramref name="size"/> bytes.</summary>
    public static string PadTo(string json, int size) => json + new string(' ', size - Encoding.UTF8.GetByteCount(json));
}

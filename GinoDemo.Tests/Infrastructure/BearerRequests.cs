namespace GinoDemo.Tests.Infrastructure;

public static class BearerRequests
{
    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with <c>Authorization: Bearer token</c>, as written (none when null).</summary>
    public static Task<HttpResponseMessage> SendWithTokenAsync(this HttpClient client, HttpMethod method, string path, string? token, string? json = null) =>
        client.SendAsync(ApiRequests.Request(method, path, json, json is null ? null : "application/json",
            token is null ? [] : [("Authorization", "Bearer " + token)]));

    /// <summary>The <c>WWW-Authenticate</c> header as the API sent it.</summary>
    public static string Challenge(this HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values) ? string.Join(", ", values) : "";
}

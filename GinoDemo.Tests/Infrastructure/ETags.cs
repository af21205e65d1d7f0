using GinoDemo.Client;

namespace GinoDemo.Tests.Infrastructure;

public static class ETags
{
    /// <summary>The single ETag of an answer, as sent.</summary>
    public static string? Of(HttpResponseMessage response) => response.Headers.ETag?.ToString();

    /// <summary>The single ETag of an answer of the typed client, as sent.</summary>
    public static string? Of(SwaggerResponse response) =>
        response.Headers.TryGetValue("ETag", out var values) ? values.Single() : null;
}

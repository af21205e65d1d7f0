using System.Globalization;
using GinoDemo.Api.Startup;

namespace GinoDemo.Api.Health;

/// <summary>
/// <c>GinoDemo.Api healthcheck [url]</c>: the container's HEALTHCHECK. The runtime image has no curl, so the app
/// probes its own liveness endpoint: exit 0 on 200, 1 otherwise, within 3 seconds.
/// </summary>
public static class HealthCheckCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var url = args.Length > 1 ? args[1] : DefaultUrl();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(new Uri(url));
            await Console.Out.WriteLineAsync($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        // NotSupportedException: a scheme HttpClient does not speak (ftp://); InvalidOperationException: a relative URL.
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException or NotSupportedException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"{url}: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// The port the server listens on, read as ASP.NET Core reads it: the first of ASPNETCORE_URLS, else of
    /// ASPNETCORE_HTTP_PORTS (the container's setting), else the tutorial's 8000.
    /// </summary>
    private static string DefaultUrl()
    {
        static string? First(string name) => Environment.GetEnvironmentVariable(name)?
            .Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

        var port = First("ASPNETCORE_HTTP_PORTS") ?? DefaultAddressExtensions.DefaultPort;
        if (First("ASPNETCORE_URLS") is { } url && DefaultAddressExtensions.TryParseAddress(url, out var uri))
        {
            port = uri.Port.ToString(CultureInfo.InvariantCulture);
        }

        return $"http://127.0.0.1:{port}{HealthProbeExtensions.LivePath}";
    }
}

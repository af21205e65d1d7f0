using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace GinoDemo.Api.Startup;

public static class DefaultAddressExtensions
{
    /// <summary>The tutorial's address, used only when no ASP.NET Core setting (URLS, HTTP_PORTS, --urls, Kestrel:Endpoints) names one.</summary>
    public const string DefaultUrl = "http://127.0.0.1:" + DefaultPort;

    public const string DefaultPort = "8000";

    private static readonly string[] AddressKeys = ["urls", "http_ports", "https_ports"];

    public static WebApplicationBuilder UseDefaultAddressUnlessConfigured(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var configured = AddressKeys.Any(key => !string.IsNullOrEmpty(configuration[key]))
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!configured)
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        return builder;
    }

    /// <summary>
    /// The addresses that would not listen where the person meant, one line each for the start-up check (exit 2).
    /// Kestrel reads a port it cannot parse as no port at all: <c>--urls http://127.0.0.1:abc</c> listens on port 80 of
    /// every interface; and an address that is not a URL (<c>notaurl</c>) crashes the start.
    /// </summary>
    internal static IEnumerable<string> AddressFailures(IConfiguration configuration)
    {
        foreach (var url in Entries(configuration["urls"]))
        {
            if (!TryParseAddress(url, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return $"urls: '{url}' is not an address such as http://127.0.0.1:8000 (set by --urls, URLS or ASPNETCORE_URLS).";
            }
        }

        foreach (var key in AddressKeys.Skip(1))
        {
            foreach (var port in Entries(configuration[key]).Where(port => !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535))
            {
                yield return $"{key}: '{port}' is not a port number from 1 to 65535.";
            }
        }
    }

    /// <summary>An address as ASP.NET Core reads it (<c>urls</c>, <c>ASPNETCORE_URLS</c>): <c>+</c> and <c>*</c> are its wildcards for every interface, not host names a <see cref="Uri"/> accepts.</summary>
    internal static bool TryParseAddress(string url, [NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(url.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out uri);

    private static string[] Entries(string? setting) =>
        setting?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}

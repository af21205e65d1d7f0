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
}

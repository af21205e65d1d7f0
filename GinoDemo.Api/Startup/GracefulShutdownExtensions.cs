using System.Globalization;
using GinoDemo.Api.Edge;

namespace GinoDemo.Api.Startup;

public static class GracefulShutdownExtensions
{
    /// <summary>After SIGTERM, requests in flight may take up to <c>Server:ShutdownTimeout</c> before the host stops.</summary>
    public static WebApplicationBuilder AddGracefulShutdown(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<ServerOptions>();
        // The host reads its options while it is built, before the start-up check: a value that does not parse is
        // left out here and reported there (exit 2, through ServerOptions), instead of crashing the build.
        builder.Services.AddOptions<HostOptions>().Configure<IConfiguration>((host, configuration) =>
        {
            if (TimeSpan.TryParse(configuration[$"{ServerOptions.Section}:{nameof(ServerOptions.ShutdownTimeout)}"], CultureInfo.InvariantCulture, out var timeout))
            {
                host.ShutdownTimeout = timeout;
            }
        });
        return builder;
    }
}

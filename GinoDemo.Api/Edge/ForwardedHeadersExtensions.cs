using System.Net;
using GinoDemo.Api.Startup;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Edge;

public static class ForwardedHeadersExtensions
{
    /// <summary>
    /// <c>X-Forwarded-For</c>/<c>-Proto</c> believed from the proxies of the <c>ForwardedHeaders</c> section only
    /// (<see cref="TrustedProxiesOptions"/>); <c>app.UseForwardedHeaders()</c> applies them.
    /// </summary>
    public static WebApplicationBuilder AddForwardedHeadersFromTrustedProxies(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<TrustedProxiesOptions>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxiesOptions>>((options, settings) =>
        {
            // With both lists empty ASP.NET Core would believe every peer, so then the headers are not read at all.
            var trusted = settings.Value.KnownProxies.Count + settings.Value.KnownNetworks.Count > 0;
            options.ForwardedHeaders = trusted ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }
}

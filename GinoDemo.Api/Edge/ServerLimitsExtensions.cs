using GinoDemo.Api.Startup;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Edge;

public static class ServerLimitsExtensions
{
    /// <summary>
    /// Kestrel's limits from its <c>Kestrel</c> section, and the budget for URLs and headers from <c>Server</c>
    /// (<see cref="ServerOptions"/>) that <see cref="UseUrlAndHeaderLimits"/> answers with problem+json.
    /// </summary>
    public static WebApplicationBuilder AddServerLimits(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // ASP.NET Core reads only endpoints and certificates from "Kestrel" by itself; the limits are bound here.
        // The server is created while the app is built, before the settings are checked: a value that does not
        // parse is kept for the start-up check to report (exit 2) instead of crashing the build.
        builder.Services.AddSingleton<KestrelBindingFailures>();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IConfiguration, KestrelBindingFailures>((options, configuration, failures) =>
        {
            try
            {
                configuration.GetSection("Kestrel").Bind(options);
            }
            catch (InvalidOperationException e)
            {
                failures.Add(e.Message);
            }
        });
        builder.Services.AddValidatedOptions<ServerOptions>(ServerOptions.Section);
        return builder;
    }

    /// <summary>Checks the URL and header budget (Kestrel's own limits, set higher, answer with an empty body).</summary>
    public static WebApplication UseUrlAndHeaderLimits(this WebApplication app)
    {
        app.Use(next =>
        {
            var limits = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
            return context =>
            {
                var request = context.Request;
                var status = (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0) > limits.MaxUrlLength
                    ? StatusCodes.Status414UriTooLong
                    : HeadersExceed(request.Headers, limits)
                    ? StatusCodes.Status431RequestHeaderFieldsTooLarge
                    : 0;
                if (status == 0)
                {
                    return next(context);
                }

                // An empty error response: the status code pages turn it into problem+json.
                context.Response.StatusCode = status;
                return Task.CompletedTask;
            };
        });
        return app;
    }

    /// <summary>Counts header lines as Kestrel does: a header repeated 300 times is 300 headers.</summary>
    private static bool HeadersExceed(IHeaderDictionary headers, ServerOptions limits)
    {
        long size = 0;
        var count = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                size += name.Length + (value?.Length ?? 0);
                count++;
            }
        }

        return count > limits.MaxRequestHeaderCount || size > limits.MaxRequestHeadersTotalSize;
    }
}

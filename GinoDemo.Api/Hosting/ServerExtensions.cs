using System.Globalization;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Hosting;

public static class ServerExtensions
{
    /// <summary>Request timeout, shutdown timeout and header budget from the <c>Server</c> section.</summary>
    public static WebApplicationBuilder AddServerLimits(this WebApplicationBuilder builder)
    {
        // ASP.NET Core reads only endpoints and certificates from "Kestrel" by itself; the limits are bound here.
        // The server is created while the app is built, before the settings are checked: a value that does not
        // parse is kept for RunWithDatabaseAsync to report (exit 2) instead of crashing the build.
        builder.Services.AddSingleton<KestrelSettingFailures>();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IConfiguration, KestrelSettingFailures>((options, configuration, failures) =>
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
        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateDataAnnotations();
        // The host reads its options while it is built, before RunWithDatabaseAsync checks the settings: a value
        // that does not parse is left out here and reported there (exit 2), instead of crashing the build.
        builder.Services.AddOptions<HostOptions>().Configure<IConfiguration>((host, configuration) =>
        {
            if (TimeSpan.TryParse(configuration[$"{ServerOptions.Section}:{nameof(ServerOptions.ShutdownTimeout)}"], CultureInfo.InvariantCulture, out var timeout))
            {
                host.ShutdownTimeout = timeout;
            }
        });
        builder.Services.AddRequestTimeouts();
        builder.Services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<ServerOptions>>((timeouts, server) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = server.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                WriteTimeoutResponse = context => Problems.WriteAsync(context, StatusCodes.Status504GatewayTimeout,
                    $"{context.Request.Method} {context.Request.Path} did not finish within {server.Value.RequestTimeout.TotalSeconds:0.###} s; it was cancelled."),
            });
        return builder;
    }

    /// <summary>Checks the URL and header budget (Kestrel's own limits, set higher, answer with an empty body).</summary>
    public static WebApplication UseServerLimits(this WebApplication app)
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

/// <summary>What could not be bound from the <c>Kestrel</c> section, for the startup check to report.</summary>
internal sealed class KestrelSettingFailures : List<string>;

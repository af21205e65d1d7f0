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
        builder.Services.Configure<KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));
        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateDataAnnotations();
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<ServerOptions>>((host, server) => host.ShutdownTimeout = server.Value.ShutdownTimeout);
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

    /// <summary>
    /// Checks the URL and header budget (Kestrel's own limits, set higher, answer with an empty body), then applies the request timeout: the timeout cancels
    /// <see cref="HttpContext.RequestAborted"/>, which every database call receives, so the command stops too.
    /// </summary>
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
                    : request.Headers.Count > limits.MaxRequestHeaderCount || HeadersSize(request.Headers) > limits.MaxRequestHeadersTotalSize
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
        app.UseRequestTimeouts();
        return app;
    }

    private static long HeadersSize(IHeaderDictionary headers)
    {
        long size = 0;
        foreach (var (name, values) in headers)
        {
            size += name.Length;
            foreach (var value in values)
            {
                size += value?.Length ?? 0;
            }
        }

        return size;
    }
}

using System.Reflection;
using GinoDemo.Api.Startup;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Edge;

public static class ServerLimitsExtensions
{
    private const string KestrelSection = "Kestrel";

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
                configuration.GetSection(KestrelSection).Bind(options);
            }
            catch (Exception e) when (IsBindingFailure(e))
            {
                failures.AddRange(FindBindingFailures(configuration));
            }
        });
        builder.Services.AddValidatedOptions<ServerOptions>();
        return builder;
    }

    /// <summary>
    /// The binder stops at the first value it cannot set, and Kestrel's own range checks (a limit of 0, say) throw
    /// without naming the key: each value of the section is bound on its own to name every bad one.
    /// </summary>
    private static List<string> FindBindingFailures(IConfiguration configuration)
    {
        List<string> failures = [];
        foreach (var (key, value) in configuration.GetSection(KestrelSection).AsEnumerable().Where(setting => setting.Value is not null))
        {
            var alone = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
            try
            {
                alone.GetSection(KestrelSection).Bind(new KestrelServerOptions());
            }
            catch (InvalidOperationException e)
            {
                failures.Add(e.Message);
            }
            catch (TargetInvocationException e) when (e.InnerException is ArgumentException invalid)
            {
                failures.Add($"{key}: '{value}' is not allowed ({invalid.Message})");
            }
        }

        return failures;
    }

    private static bool IsBindingFailure(Exception e) =>
        e is InvalidOperationException or TargetInvocationException { InnerException: ArgumentException };

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

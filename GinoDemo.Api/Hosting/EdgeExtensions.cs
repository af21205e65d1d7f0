using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Hosting;

/// <summary>
/// What stands between the internet and the API: proxies' forwarded headers, security headers, CORS and a rate
/// limit per client. Each reads its section when the server starts, so every setting is checked first.
/// </summary>
public static class EdgeExtensions
{
    public static WebApplicationBuilder AddEdgeProtection(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section).ValidateDataAnnotations();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
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

        services.AddOptions<CorsSettings>().BindConfiguration(CorsSettings.Section).ValidateDataAnnotations();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CorsSettings>>((options, settings) =>
        {
            // Without a default policy the CORS middleware adds nothing, and browsers keep other origins out.
            if (settings.Value.AllowedOrigins.Count > 0)
            {
                options.AddDefaultPolicy(policy => policy.WithOrigins([.. settings.Value.AllowedOrigins])
                    .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Patch, HttpMethods.Delete)
                    .WithHeaders("Content-Type", "If-Match", "If-None-Match", Users.IdempotencyKeyHeader.Name)
                    .WithExposedHeaders("Location", "Retry-After", "ETag", "Link"));
            }
        });

        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section).ValidateDataAnnotations();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingOptions>>((options, settings) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (rejected, cancellationToken) => RejectAsync(rejected, settings.Value);
            if (settings.Value is { Enabled: true } limits)
            {
                options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    RateLimitPartition.GetTokenBucketLimiter(ClientKey(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.Burst,
                        TokensPerPeriod = limits.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    }));
            }
        });
        return builder;
    }

    /// <summary>Forwarded headers first, so the rest sees the client's address; then security headers on every response.</summary>
    public static WebApplication UseForwardedHeadersAndSecurityHeaders(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            // Only ever sent over HTTPS (as a TLS-terminating proxy reports it through X-Forwarded-Proto).
            app.UseHsts();
        }

        app.Use(static (context, next) =>
        {
            // At the start of the response, so error responses (whose headers the exception handler clears) get them too.
            context.Response.OnStarting(static state => AddSecurityHeaders((HttpContext)state), context);
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// After routing, so endpoints can opt out of the limit (health probes do). The request timeout cancels
    /// <see cref="HttpContext.RequestAborted"/>, which every database call receives, so the statement stops too.
    /// </summary>
    public static WebApplication UseRequestPolicies(this WebApplication app)
    {
        app.UseCors();
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        return app;
    }

    private static Task AddSecurityHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // The documentation pages run scripts; everything else is data that must never be rendered or framed.
        if (!OpenApiExtensions.IsDocumentationPage(context.Request.Path))
        {
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
        }

        if (!headers.ContainsKey("Cache-Control"))
        {
            headers.CacheControl = "no-store";
        }

        return Task.CompletedTask;
    }

    /// <summary>An IPv6 client holds a whole /64 and could take a new address per request: it is limited as one client.</summary>
    private static string ClientKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, RateLimitingOptions limits)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        var context = rejected.HttpContext;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests,
            $"Too many requests from this client: {limits.PermitsPerSecond} per second are allowed, in bursts of up to {limits.Burst}. Retry after {seconds} s.");
    }
}

using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using GinoDemo.Api.Authentication;
using GinoDemo.Api.Errors;
using GinoDemo.Api.Startup;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Edge;

public static class RateLimitingExtensions
{
    /// <summary>
    /// A token bucket per client (<see cref="ClientRateLimitOptions"/>): per token subject when the request carries a
    /// valid bearer token (<see cref="AuthenticationExtensions.AuthenticatedSubject"/>), per address otherwise;
    /// answered with 429 problem+json and <c>Retry-After</c>. <c>app.UseRateLimiter()</c> applies it after routing, so endpoints can opt out (probes do).
    /// </summary>
    public static WebApplicationBuilder AddRateLimitPerClient(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<ClientRateLimitOptions>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<ClientRateLimitOptions>>((options, settings) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (rejected, cancellationToken) => RejectAsync(rejected, settings.Value);
            if (settings.Value is { Enabled: true } limits)
            {
                // One factory for every partition, made here: a lambda capturing the limits per request would be allocated per request.
                Func<object, TokenBucketRateLimiterOptions> bucket = _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                };
                options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, object>(context =>
                    RateLimitPartition.GetTokenBucketLimiter(context.User.AuthenticatedSubject() ?? ClientKey(context), bucket));
            }
        });
        return builder;
    }

    /// <summary>
    /// The partition of a client without a token: its address as Kestrel parsed it, compared by value (no string is
    /// built per request). An IPv6 client holds a whole /64 and could take a new address per request: it is limited as
    /// one client. A token's subject is a string, which never equals an address, so the two kinds cannot collide.
    /// </summary>
    private static object ClientKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, ClientRateLimitOptions limits)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        var context = rejected.HttpContext;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests,
            $"Too many requests from this client: {limits.PermitsPerSecond} per second are allowed, in bursts of up to {limits.Burst}. Retry after {seconds} s.");
    }
}

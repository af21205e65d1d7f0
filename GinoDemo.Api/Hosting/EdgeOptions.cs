using System.ComponentModel.DataAnnotations;
using System.Net;

namespace GinoDemo.Api.Hosting;

/// <summary>The <c>RateLimiting</c> section: a token bucket per client address.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; }

    /// <summary>Requests a client may make per second, sustained.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; }

    /// <summary>Requests a client may make at once after being idle.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; }
}

/// <summary>
/// The <c>ForwardedHeaders</c> section: the proxies whose X-Forwarded-For/-Proto are believed. Empty: none are,
/// and the client address is the TCP peer (ASP.NET Core's own default would trust loopback).
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string Section = "ForwardedHeaders";

    public IList<string> KnownProxies { get; init; } = [];

    /// <summary>CIDR ranges, e.g. <c>10.0.0.0/8</c>.</summary>
    public IList<string> KnownNetworks { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(proxy => !IPAddress.TryParse(proxy, out _)))
        {
            yield return new ValidationResult($"'{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(network => !IPNetwork.TryParse(network, out _)))
        {
            yield return new ValidationResult($"'{network}' is not a network in CIDR form (10.0.0.0/8).", [nameof(KnownNetworks)]);
        }
    }
}

/// <summary>The <c>Cors</c> section: browser origins allowed to call the API. Empty: CORS is off.</summary>
public sealed class CorsSettings : IValidatableObject
{
    public const string Section = "Cors";

    public IList<string> AllowedOrigins { get; init; } = [];

    /// <summary>An origin is a scheme, a host and a port, nothing more; "*" would let every site read the answers.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins.Where(origin => !IsOrigin(origin)))
        {
            yield return new ValidationResult($"'{origin}' is not an origin such as https://app.example or http://localhost:3000.", [nameof(AllowedOrigins)]);
        }
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && origin.Equals(uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}

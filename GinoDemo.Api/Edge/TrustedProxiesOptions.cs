using System.ComponentModel.DataAnnotations;
using System.Net;
using GinoDemo.Api.Startup;

namespace GinoDemo.Api.Edge;

/// <summary>
/// The <c>ForwardedHeaders</c> section: the proxies whose X-Forwarded-For/-Proto are believed. Empty: none are,
/// and the client address is the TCP peer (ASP.NET Core's own default would trust loopback).
/// </summary>
public sealed class TrustedProxiesOptions : ISectionOptions, IValidatableObject
{
    public static string Section => "ForwardedHeaders";

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

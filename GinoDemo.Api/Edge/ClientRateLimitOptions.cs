using System.ComponentModel.DataAnnotations;
using GinoDemo.Api.Startup;

namespace GinoDemo.Api.Edge;

/// <summary>The <c>RateLimiting</c> section: a token bucket per client address.</summary>
public sealed class ClientRateLimitOptions : ISectionOptions
{
    public static string Section => "RateLimiting";

    public bool Enabled { get; set; }

    /// <summary>Requests a client may make per second, sustained.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; }

    /// <summary>Requests a client may make at once after being idle.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; }
}

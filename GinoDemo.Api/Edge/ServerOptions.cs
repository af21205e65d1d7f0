using System.ComponentModel.DataAnnotations;
using GinoDemo.Api.Startup;

namespace GinoDemo.Api.Edge;

/// <summary>
/// The <c>Server</c> section: time limits and the request size budget. Kestrel's own limits (body size, connections)
/// are in its <c>Kestrel</c> section. Defaults live in appsettings.json only.
/// </summary>
public sealed class ServerOptions : ISectionOptions
{
    public static string Section => "Server";

    /// <summary>A request still running after this answers 504, and its database command is cancelled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; }

    /// <summary>How long SIGTERM waits for requests in flight before the process exits anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; }

    /// <summary>
    /// Bytes of request headers answered with 431 problem+json. Kestrel's MaxRequestHeadersTotalSize stays above
    /// it as the hard stop, because Kestrel's own rejection has an empty body.
    /// </summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestHeadersTotalSize { get; set; }

    /// <summary>Request headers answered with 431 problem+json; Kestrel's MaxRequestHeaderCount is the hard stop above it.</summary>
    [Range(1, 10_000)]
    public int MaxRequestHeaderCount { get; set; }

    /// <summary>Characters of path and query answered with 414 problem+json; Kestrel's MaxRequestLineSize is the hard stop above it.</summary>
    [Range(16, 1024 * 1024)]
    public int MaxUrlLength { get; set; }
}

using System.ComponentModel.DataAnnotations;
using GinoDemo.Api.Startup;

namespace GinoDemo.Api.Idempotency;

/// <summary>The <c>Idempotency</c> section: how long a key is remembered, and how often forgotten keys are deleted.</summary>
public sealed class IdempotencyOptions : ISectionOptions
{
    public static string Section => "Idempotency";

    /// <summary>Within this time the same key replays the first answer; after it the key may be used afresh.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan KeyLifetime { get; set; }

    /// <summary>How often each replica deletes expired keys: storage housekeeping only, expiry holds without it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "1.00:00:00")]
    public TimeSpan CleanupInterval { get; set; }
}

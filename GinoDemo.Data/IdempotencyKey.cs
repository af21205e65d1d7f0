namespace GinoDemo.Data;

/// <summary>
/// An <c>Idempotency-Key</c> a client sent with a request that changes state, and the answer it got: a retry with the
/// same key is answered from here instead of being carried out again, by whichever replica receives it.
/// </summary>
public class IdempotencyKey
{
    /// <summary>The longest key accepted; a UUID is 36 characters.</summary>
    public const int MaxKeyLength = 255;

    public string Key { get; set; } = "";

    /// <summary>A hash of what the request asked for: the same key with another request is the client's mistake.</summary>
    public string RequestHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The stored answer; null only inside the transaction that is producing it.</summary>
    public int? Status { get; set; }

    public string? Location { get; set; }

    public string? ETag { get; set; }

    public string? Body { get; set; }
}

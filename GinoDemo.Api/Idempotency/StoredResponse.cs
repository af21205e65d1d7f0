namespace GinoDemo.Api.Idempotency;

/// <summary>The response a key holds: what the first request with it was answered, replayed byte for byte.</summary>
public sealed record StoredResponse(int Status, string? Location, string? ETag, string Body);

using System.Text.Json.Serialization;

/// <summary>The product's request body: {"name": "..."} exactly, unknown fields rejected.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record CreateUserRequest(string? Name);

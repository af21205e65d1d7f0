using System.Text.Json.Serialization;

namespace GinoDemo.Api.Users;

/// <summary>One page of users, by id ascending.</summary>
/// <param name="Items">Up to <c>limit</c> users.</param>
/// <param name="Next">The relative URL of the next page; null on the last page.</param>
public sealed record UserPage([property: JsonRequired] IReadOnlyList<UserResponse> Items, [property: JsonRequired] string? Next);

using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using GinoDemo.Data;

namespace GinoDemo.Api.Contracts;

// Wire shapes, separate from the entity so the table can change without changing the API (and vice versa).
// [JsonRequired] on responses marks their fields as always present in the OpenAPI schema, for typed clients.

/// <summary>The body of <c>POST /users</c>. Unknown fields (an <c>id</c>, say) are rejected, not ignored.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CreateUserRequest
{
    /// <summary>The new user's nickname: up to 256 characters (Unicode code points); may be empty.</summary>
    [Required(AllowEmptyStrings = true)]
    [StorableText]
    [MaxCodePoints(User.MaxNicknameLength)]
    public string? Name { get; init; }
}

/// <summary>
/// The body of <c>PATCH /users/{uid}</c>, as JSON or as a JSON merge patch (RFC 7396): the name is the one field a
/// client can change, so it is required, with the same rules as when the user is created.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class UpdateUserRequest
{
    /// <summary>The user's new nickname: up to 256 characters (Unicode code points); may be empty.</summary>
    [Required(AllowEmptyStrings = true)]
    [StorableText]
    [MaxCodePoints(User.MaxNicknameLength)]
    public string? Name { get; init; }
}

/// <summary>A stored user.</summary>
public sealed record UserResponse([property: JsonRequired] long Id, [property: JsonRequired] string Nickname)
{
    public static UserResponse From(User user) => new(user.Id, user.Nickname);
}

/// <summary>One page of users, by id ascending.</summary>
/// <param name="Items">Up to <c>limit</c> users.</param>
/// <param name="Next">The relative URL of the next page; null on the last page.</param>
public sealed record UserPage([property: JsonRequired] IReadOnlyList<UserResponse> Items, [property: JsonRequired] string? Next);

/// <summary>The id of the user just deleted.</summary>
public sealed record DeletedUserResponse([property: JsonRequired] long Id);

/// <summary>The index module's greeting.</summary>
public sealed record MessageResponse([property: JsonRequired] string Message);

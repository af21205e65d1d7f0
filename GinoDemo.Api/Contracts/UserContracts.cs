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

/// <summary>A stored user.</summary>
public sealed record UserResponse([property: JsonRequired] long Id, [property: JsonRequired] string Nickname)
{
    public static UserResponse From(User user) => new(user.Id, user.Nickname);
}

/// <summary>The id of the user just deleted.</summary>
public sealed record DeletedUserResponse([property: JsonRequired] long Id);

/// <summary>The index module's greeting.</summary>
public sealed record MessageResponse([property: JsonRequired] string Message);

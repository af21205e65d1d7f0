using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using GinoDemo.Api.Validation;
using GinoDemo.Data;

namespace GinoDemo.Api.Users;

// Wire shapes are separate from the entity, so that the table can change without changing the API and the other way round.

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

using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using GinoDemo.Api.Validation;
using GinoDemo.Data;

namespace GinoDemo.Api.Users;

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

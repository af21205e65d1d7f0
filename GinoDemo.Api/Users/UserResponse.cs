using System.Text.Json.Serialization;
using GinoDemo.Data;

namespace GinoDemo.Api.Users;

// [JsonRequired] on responses marks their fields as always present in the OpenAPI schema, for typed clients.

/// <summary>A stored user.</summary>
public sealed record UserResponse([property: JsonRequired] long Id, [property: JsonRequired] string Nickname)
{
    public static UserResponse From(User user) => new(user.Id, user.Nickname);
}

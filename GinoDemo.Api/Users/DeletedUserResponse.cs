using System.Text.Json.Serialization;

namespace GinoDemo.Api.Users;

/// <summary>The id of the user just deleted.</summary>
public sealed record DeletedUserResponse([property: JsonRequired] long Id);

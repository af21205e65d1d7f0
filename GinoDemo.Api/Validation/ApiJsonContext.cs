using System.Text.Json;
using System.Text.Json.Serialization;
using GinoDemo.Api.Index;
using GinoDemo.Api.Users;

namespace GinoDemo.Api.Validation;

/// <summary>
/// Source-generated System.Text.Json metadata for the API's own bodies, first in MVC's resolver chain
/// (<see cref="StrictInputExtensions"/>): written through the generated fast path instead of the converters built by
/// reflection (docs/performance.md). The options are the ones MVC's formatters use (Web defaults); other types
/// (problem details) fall through to the reflection resolver after it.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(UpdateUserRequest))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(UserPage))]
[JsonSerializable(typeof(DeletedUserResponse))]
[JsonSerializable(typeof(MessageResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

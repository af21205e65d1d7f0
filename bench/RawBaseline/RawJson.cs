using System.Text.Json;
using System.Text.Json.Serialization;

/// <summary>Source-generated JSON for the baseline's shapes, with the product's rules (exact, unique field names).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNameCaseInsensitive = false, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(DeletedUserResponse))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
internal sealed partial class RawJson : JsonSerializerContext;

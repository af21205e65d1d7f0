using System.Text.Json.Serialization;

namespace GinoDemo.Api.Index;

/// <summary>The index module's greeting.</summary>
public sealed record MessageResponse([property: JsonRequired] string Message);

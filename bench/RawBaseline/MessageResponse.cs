/// <summary>The product's greeting.</summary>
internal sealed record MessageResponse(string Message);

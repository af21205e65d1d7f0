/// <summary>A stored user, as the product answers it.</summary>
internal sealed record UserResponse(long Id, string Nickname);

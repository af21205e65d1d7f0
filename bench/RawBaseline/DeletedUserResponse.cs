/// <summary>The id of the user just deleted, as the product answers it.</summary>
internal sealed record DeletedUserResponse(long Id);

namespace GinoDemo.Tests.Infrastructure;

/// <summary>A user as the API's JSON holds it.</summary>
public sealed record UserBody(long Id, string Nickname);

namespace GinoDemo.Api.Users;

/// <summary>A user with its row version, the source of its ETag.</summary>
internal sealed record VersionedUser(long Id, string Nickname, uint Version);

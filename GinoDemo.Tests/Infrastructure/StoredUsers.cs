namespace GinoDemo.Tests.Infrastructure;

/// <summary>The users as the test database holds them, read beside the API.</summary>
public static class StoredUsers
{
    public static Task<string?> NicknameAsync(long id) => TestDatabase.ScalarAsync<string>($"SELECT nickname FROM users WHERE id = {id}");

    public static Task<long> CountAsync() => TestDatabase.CountAsync("SELECT count(*) FROM users");
}

namespace GinoDemo.Tests.Infrastructure;

/// <summary>The users as the test database holds them, read beside the API.</summary>
public static class StoredUsers
{
    public static Task<string?> NicknameAsync(long id) => TestDatabase.ScalarAsync<string>($"SELECT nickname FROM users WHERE id = {id}");

    /// <summary>The row's version as PostgreSQL spells it (<c>xmin::text</c>), the source of its ETag; null when it is missing.</summary>
    public static Task<string?> VersionAsync(long id) => TestDatabase.ScalarAsync<string>($"SELECT xmin::text FROM users WHERE id = {id}");

    public static Task<long> CountAsync() => TestDatabase.CountAsync("SELECT count(*) FROM users");

    /// <summary>Every stored user, by id.</summary>
    public static async Task<List<UserBody>> AllAsync()
    {
        await using var command = TestDatabase.DataSource.CreateCommand("SELECT id, nickname FROM users ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var users = new List<UserBody>();
        while (await reader.ReadAsync())
        {
            users.Add(new UserBody(reader.GetInt64(0), reader.GetString(1)));
        }

        return users;
    }
}

using Npgsql;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>
/// Holds an exclusive lock on the users table from a second connection, so the API's statements on it wait:
/// a stalled database, on demand. Disposing releases it.
/// </summary>
public sealed class TableLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private bool _released;

    private TableLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <param name="database">The test database unless given.</param>
    public static async Task<TableLock> AcquireAsync(NpgsqlDataSource? database = null)
    {
        var connection = await (database ?? TestDatabase.DataSource).OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("LOCK TABLE users IN ACCESS EXCLUSIVE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return new TableLock(connection, transaction);
    }

    /// <summary>Statements of other sessions waiting for this lock.</summary>
    public static Task<long> CountWaitingAsync(NpgsqlDataSource? database = null) =>
        TestDatabase.CountAsync("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()", database);

    /// <summary>Waits until <paramref name="count"/> statements are blocked on the lock.</summary>
    public static async Task WaitForWaitersAsync(int count, NpgsqlDataSource? database = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CountWaitingAsync(database) < count)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"{count} statement(s) should be waiting for the lock");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Starts every request while the table is locked, waits until each is blocked on the lock, then releases them
    /// at once: they reach the rows together, as clients racing each other.
    /// </summary>
    public static async Task<HttpResponseMessage[]> RaceAsync(params Func<Task<HttpResponseMessage>>[] requests)
    {
        Task<HttpResponseMessage>[] racing;
        await using (await AcquireAsync())
        {
            racing = [.. requests.Select(request => request())];
            await WaitForWaitersAsync(requests.Length);
        }

        return await Task.WhenAll(racing);
    }

    /// <summary>Releases the lock; again is a no-op, so a test may release it early inside its <c>await using</c>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        await _transaction.RollbackAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

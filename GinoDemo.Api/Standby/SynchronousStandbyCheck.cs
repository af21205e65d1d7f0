using Npgsql;

namespace GinoDemo.Api.Standby;

/// <summary>
/// Read-your-writes with reads on a standby: the primary must acknowledge a commit only once a standby has applied
/// it, PostgreSQL's <c>synchronous_commit = remote_apply</c> with <c>synchronous_standby_names</c> naming the standby
/// (PostgreSQL documentation, "Synchronous Replication", section 27.2.8). Then every client, on every API replica,
/// sees its own write on the standby with nothing carried between requests. Checked on the primary as the API's
/// sessions see it (a role's or database's <c>ALTER ... SET</c> counts).
/// </summary>
public static class SynchronousStandbyCheck
{
    /// <summary>The two settings <see cref="Mistake"/> judges, as the columns of a SELECT list.</summary>
    internal const string SettingsColumns = "current_setting('synchronous_commit'), current_setting('synchronous_standby_names')";

    /// <returns>The one line that says what to set, or null when the primary waits for a standby to apply each commit.</returns>
    /// <exception cref="NpgsqlException">The primary cannot be reached.</exception>
    public static async Task<string?> FindMistakeAsync(NpgsqlDataSource primary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(primary);
        await using var connection = await primary.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {SettingsColumns}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Mistake(reader.GetString(0), reader.GetString(1));
    }

    /// <param name="synchronousCommit">The primary's <c>synchronous_commit</c>.</param>
    /// <param name="synchronousStandbyNames">The primary's <c>synchronous_standby_names</c>.</param>
    /// <returns>The one line that says what to set, or null when these settings make the primary wait for a standby to apply each commit.</returns>
    internal static string? Mistake(string synchronousCommit, string synchronousStandbyNames) =>
        synchronousCommit == "remote_apply" && !string.IsNullOrWhiteSpace(synchronousStandbyNames)
            ? null
            : $"DB_READ_DSN is set, but the primary does not wait for the standby to apply each commit (synchronous_commit is '{synchronousCommit}', "
              + $"synchronous_standby_names is '{synchronousStandbyNames}'), so a client could miss its own write on the standby: on the primary set "
              + "synchronous_standby_names to the standby's name and synchronous_commit = remote_apply (postgresql.conf, or ALTER ROLE/DATABASE ... SET), or unset DB_READ_DSN.";
}

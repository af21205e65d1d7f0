using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>
/// A migration while the API serves: with its pooled connections warm (every statement auto-prepared on several of
/// them), the kinds of schema change a migration makes leave every request a 2xx. A type change makes PostgreSQL
/// refuse each stale prepared statement ("cached plan must not change result type"); the statement never ran, so
/// the API runs it again, once, on a connection opened after the change.
/// </summary>
public sealed class SchemaChangeWhileServingTests : DatabaseTest
{
    private const int Clients = 6;

    /// <summary>The change a migration makes, the SQL that puts the shared test database back, and SQL to run first.</summary>
    public static IEnumerable<TestCaseData> Changes()
    {
        yield return new TestCaseData("", "ALTER TABLE users ALTER COLUMN nickname TYPE varchar(300)", "ALTER TABLE users ALTER COLUMN nickname TYPE text", true)
            .SetName("A_column_type_change_answers_every_request_with_2xx");
        yield return new TestCaseData("", "ALTER TABLE users ADD COLUMN email text", "ALTER TABLE users DROP COLUMN email", false)
            .SetName("An_added_column_answers_every_request_with_2xx");
        yield return new TestCaseData("ALTER TABLE users ADD COLUMN legacy text", "ALTER TABLE users DROP COLUMN legacy", "", false)
            .SetName("A_dropped_column_the_code_no_longer_reads_answers_every_request_with_2xx");
        yield return new TestCaseData("", "ALTER TABLE idempotency_keys ALTER COLUMN body TYPE varchar(10000)", "ALTER TABLE idempotency_keys ALTER COLUMN body TYPE text", true)
            .SetName("A_type_change_read_inside_a_transaction_reruns_the_whole_transaction");
    }

    [TestCaseSource(nameof(Changes))]
    public async Task Schema_change(string before, string change, string undo, bool makesPlansStale)
    {
        if (before.Length > 0)
        {
            await TestDatabase.ExecuteAsync(before);
        }

        try
        {
            await using var api = new ApiFactory();
            using var client = api.CreateClient();
            // Each client works on users of its own, so every answer is known in advance.
            var kept = await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => client.CreateUserAsync($"kept {i}")));
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => RoundAsync(client, kept[i], $"warm {i}", rounds: 12)));

            await TestDatabase.ExecuteAsync(change);
            var answers = (await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => RoundAsync(client, kept[i], $"after {i}", rounds: 2))))
                .SelectMany(round => round).ToList();

            answers.Should().OnlyContain(status => status >= 200 && status < 300, "no statement that never ran is answered 5xx");
            var staleRetries = api.Logs.Messages.Count(message => message.Contains("cached plan must not change result type", StringComparison.Ordinal));
            if (makesPlansStale)
            {
                staleRetries.Should().BePositive("the change made prepared statements stale, and each was run again");
            }

            foreach (var (id, i) in kept.Select((id, i) => (id, i)))
            {
                (await StoredUsers.NicknameAsync(id)).Should().Be($"after {i} #1", "the last acknowledged rename is stored");
            }
        }
        finally
        {
            if (undo.Length > 0)
            {
                await TestDatabase.ExecuteAsync(undo);
            }
        }
    }

    /// <summary>
    /// Every kind of statement the API runs, <paramref name="rounds"/> times: a read, a page, a create (plain, and
    /// with an Idempotency-Key twice: each one transaction, the second reading the stored answer), a rename of
    /// <paramref name="kept"/>, and a delete. Returns the statuses.
    /// </summary>
    private static async Task<List<int>> RoundAsync(HttpClient client, long kept, string name, int rounds)
    {
        var statuses = new List<int>();
        for (var round = 0; round < rounds; round++)
        {
            using var read = await client.GetAsync($"/users/{kept}");
            using var page = await client.GetAsync("/users?limit=5");
            using var created = await client.PostAsJsonAsync("/users", new { name = $"{name} new #{round}" });
            var key = Guid.NewGuid().ToString();
            var keyed = $$"""{"name":"{{name}} keyed #{{round}}"}""";
            using var idempotent = await client.SendAsync(HttpMethod.Post, "/users", keyed, ("Idempotency-Key", key));
            using var replayed = await client.SendAsync(HttpMethod.Post, "/users", keyed, ("Idempotency-Key", key));
            using var renamed = await client.PatchAsJsonAsync($"/users/{kept}", new { name = $"{name} #{round}" });
            var createdId = created.IsSuccessStatusCode ? (await created.Content.ReadFromJsonAsync<UserBody>())!.Id : 0;
            using var deleted = await client.DeleteAsync($"/users/{createdId}");
            statuses.AddRange([.. new[] { read, page, created, idempotent, replayed, renamed, deleted }.Select(response => (int)response.StatusCode)]);
        }

        return statuses;
    }
}

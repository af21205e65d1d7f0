using System.Net;
using System.Text.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

public sealed class ListUsersTests : ApiTest
{
    [Test]
    public async Task A_page_holds_the_first_users_by_id_and_names_the_next_page_in_body_and_link()
    {
        var ids = new List<long>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            ids.Add((await Users.CreateAsync(new() { Name = name })).Result.Id);
        }

        var page = await Users.ListAsync(limit: 2);

        page.StatusCode.Should().Be(200);
        page.Result.Items.Select(user => (user.Id, user.Nickname)).Should().Equal((ids[0], "a"), (ids[1], "b"));
        page.Result.Next.Should().Be($"/users?limit=2&after={ids[1]}");
        page.Headers["Link"].Should().Equal($"</users?limit=2&after={ids[1]}>; rel=\"next\"");
    }

    [Test]
    public async Task Following_next_visits_every_user_once_and_the_last_page_has_no_next()
    {
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await Client.CreateUserAsync($"u{i}"));
        }

        var seen = new List<long>();
        string? next = "/users?limit=3";
        HttpResponseMessage? last = null;
        while (next is not null)
        {
            last?.Dispose();
            last = await Client.GetAsync(next);
            last.StatusCode.Should().Be(HttpStatusCode.OK);
            var page = JsonDocument.Parse(await last.Content.ReadAsStringAsync()).RootElement;
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()));
            next = page.GetProperty("next").GetString();
        }

        seen.Should().Equal(ids);
        last!.Headers.Contains("Link").Should().BeFalse("the last page links nowhere");
        last.Dispose();
    }

    [Test]
    public async Task An_empty_table_is_one_empty_last_page()
    {
        using var response = await Client.GetAsync("/users");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.ShouldHaveMediaType("application/json");
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"items":[],"next":null}""");
        response.Headers.Contains("Link").Should().BeFalse();
    }

    [Test]
    public async Task Without_parameters_a_page_holds_50_users_and_at_most_200_can_be_asked_for()
    {
        await TestDatabase.ExecuteAsync("INSERT INTO users (nickname) SELECT 'u' || n FROM generate_series(1, 250) AS n");

        var defaultPage = await Users.ListAsync();
        var largestPage = await Users.ListAsync(limit: 200);

        defaultPage.Result.Items.Should().HaveCount(50);
        defaultPage.Result.Next.Should().Be($"/users?limit=50&after={defaultPage.Result.Items.Last().Id}");
        largestPage.Result.Items.Should().HaveCount(200);
    }

    [Test]
    public async Task A_page_that_ends_exactly_at_the_last_user_has_no_next()
    {
        await Client.CreateUserAsync("a");
        var last = await Client.CreateUserAsync("b");

        var page = await Users.ListAsync(limit: 2);
        var after = await Users.ListAsync(limit: 2, after: last);

        page.Result.Items.Should().HaveCount(2);
        page.Result.Next.Should().BeNull();
        after.Result.Items.Should().BeEmpty();
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=201", "limit")]
    [TestCase("limit=-1", "limit")]
    [TestCase("limit=abc", "limit")]
    [TestCase("limit=1.5", "limit")]
    [TestCase("limit=0x10", "limit")]
    [TestCase("limit=%2010", "limit")]
    [TestCase("limit=", "limit")]
    [TestCase("limit=99999999999", "limit")]
    [TestCase("limit=1&limit=2", "limit")]
    [TestCase("after=abc", "after")]
    [TestCase("after=", "after")]
    [TestCase("after=9223372036854775808", "after")]
    [TestCase("after=1%20OR%201=1", "after")]
    public async Task Bad_parameters_are_a_400_problem_naming_them(string query, string field)
    {
        using var response = await Client.GetAsync($"/users?{query}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Should().Equal(field);
    }

    [Test]
    public async Task Pages_never_repeat_or_skip_a_user_while_others_are_inserted_and_deleted()
    {
        // Stable users exist throughout; churn users are deleted and inserted while the pages are read.
        await TestDatabase.ExecuteAsync(
            "INSERT INTO users (nickname) SELECT CASE WHEN n % 2 = 0 THEN 'stable' ELSE 'churn' END FROM generate_series(1, 400) AS n");
        var stable = await ReadIdsAsync("SELECT id FROM users WHERE nickname = 'stable' ORDER BY id");
        using var walking = new CancellationTokenSource();
        var churned = 0;
        var churn = Task.Run(async () =>
        {
            while (!walking.IsCancellationRequested)
            {
                await TestDatabase.ExecuteAsync(
                    "DELETE FROM users WHERE id = (SELECT id FROM users WHERE nickname = 'churn' ORDER BY random() LIMIT 1)");
                await TestDatabase.ExecuteAsync("INSERT INTO users (nickname) VALUES ('churn')");
                Interlocked.Increment(ref churned);
            }
        });

        var seen = new List<long>();
        long? after = null;
        do
        {
            var page = await Users.ListAsync(limit: 7, after: after);
            seen.AddRange(page.Result.Items.Select(user => user.Id));
            after = page.Result.Next is null ? null : page.Result.Items.Last().Id;
        }
        while (after is not null);
        var churnedWhileWalking = Volatile.Read(ref churned);
        await walking.CancelAsync();
        await churn;

        churnedWhileWalking.Should().BeGreaterThan(10, "users were deleted and inserted while the pages were read");
        seen.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
        seen.Should().Contain(stable, "every user that existed throughout is on a page");
    }

    private static async Task<List<long>> ReadIdsAsync(string sql)
    {
        await using var command = TestDatabase.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}

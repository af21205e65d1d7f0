using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Faults;

/// <summary>Scenario 4: the database stalls (a lock nobody releases): requests end on time with 504 and their statements are cancelled.</summary>
public sealed class StalledDatabaseTests : FaultTest
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    [Test]
    public async Task Requests_blocked_past_the_request_timeout_answer_504_on_time_and_their_statements_are_cancelled()
    {
        await using var api = await StartServingAsync(new Dictionary<string, string> { ["Server__RequestTimeout"] = RequestTimeout.ToString() });
        using var client = api.CreateClient();
        await WarmUpAsync(client);
        var id = await client.CreateUserAsync("stored before the stall");

        TimedAnswer[] answers;
        long statementsLeft;
        await using (await TableLock.AcquireAsync(DataSource))
        {
            answers = await Task.WhenAll(
                TimeAsync(cancellation => client.GetAsync($"/users/{id}", cancellation)),
                TimeAsync(cancellation => client.GetAsync("/users", cancellation)),
                TimeAsync(cancellation => client.PostAsJsonAsync("/users", new { name = "stalled" }, cancellation)),
                TimeAsync(cancellation => client.PatchAsJsonAsync($"/users/{id}", new { name = "stalled" }, cancellation)),
                TimeAsync(cancellation => client.DeleteAsync($"/users/{id}", cancellation)));
            // Still inside the lock: a statement that was not cancelled would still be waiting for it.
            statementsLeft = await WaitForNoBusyApiSessionAsync(TimeSpan.FromSeconds(1));
        }

        FaultReport.Add($"4. Stalled database (table lock), Server:RequestTimeout={RequestTimeout.TotalSeconds:0} s",
            ("requests blocked (GET, list, POST, PATCH, DELETE)", answers.Length),
            ("answered 504 problem+json", answers.Count(answer => answer.Status == 504 && answer.IsProblem)),
            ("fastest / slowest answer", $"{FaultReport.Seconds(answers.Min(answer => answer.Duration))} / {FaultReport.Seconds(answers.Max(answer => answer.Duration))}"),
            ("the API's statements left in pg_stat_activity", statementsLeft));
        answers.Should().OnlyContain(answer => answer.Status == 504 && answer.IsProblem);
        answers.Should().OnlyContain(answer => answer.Duration >= RequestTimeout && answer.Duration < RequestTimeout + TimeSpan.FromSeconds(1.5), "on time");
        statementsLeft.Should().Be(0, "the timeout cancelled each statement in PostgreSQL");
        (await CountAsync($"SELECT count(*) FROM users WHERE id = {id} AND nickname = 'stored before the stall'")).Should().Be(1, "the cancelled PATCH and DELETE changed nothing");
        (await CountAsync("SELECT count(*) FROM users")).Should().Be(1, "the cancelled POST stored nothing");
        await client.CreateUserAsync("after the stall");
    }
}

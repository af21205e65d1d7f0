using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>A request stuck on the database ends on time with 504, and its statement is cancelled in PostgreSQL.</summary>
public sealed class RequestTimeoutTests : DatabaseTest
{
    private ApiFactory _api = null!;

    // Both tests want the same one-second timeout: one API serves them.
    [OneTimeSetUp]
    public void CreateApiWithAOneSecondTimeout() =>
        _api = new ApiFactory(new Dictionary<string, string?> { ["Server:RequestTimeout"] = "00:00:01" });

    [OneTimeTearDown]
    public async Task DisposeApi() => await _api.DisposeAsync();

    [Test]
    public async Task A_read_blocked_past_the_timeout_answers_504_and_leaves_no_statement_behind()
    {
        using var client = _api.CreateClient();
        (await client.GetAsync("/users/1")).StatusCode.Should().Be(HttpStatusCode.NotFound, "warm-up: the API works");

        HttpResponseMessage response;
        var clock = Stopwatch.StartNew();
        await using (await TableLock.AcquireAsync())
        {
            response = await client.GetAsync("/users/1");
            clock.Stop();
            (await TableLock.CountWaitingAsync()).Should().Be(0, "the timeout cancelled the SELECT in PostgreSQL, before the lock was released");
        }

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.GatewayTimeout);
        problem.GetProperty("detail").GetString().Should().Be("GET /users/1 did not finish within 1 s; it was cancelled.");
        problem.GetProperty("traceId").GetString().Should().NotBeNullOrEmpty();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        (await client.GetAsync("/users/1")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the connection went back to the pool usable");
    }

    [Test]
    public async Task A_write_blocked_past_the_timeout_answers_504_and_stores_nothing()
    {
        using var client = _api.CreateClient();

        HttpResponseMessage response;
        await using (await TableLock.AcquireAsync())
        {
            response = await client.PostAsJsonAsync("/users", new { name = "too late" });
        }

        await response.ShouldBeProblemAsync(HttpStatusCode.GatewayTimeout);
        (await TestDatabase.CountAsync("SELECT count(*) FROM users")).Should().Be(0);
    }
}

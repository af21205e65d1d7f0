using System.Data;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using GinoDemo.Data;
using GinoDemo.Data.Configuration;
using GinoDemo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GinoDemo.Tests;

/// <summary>DB_USE_CONNECTION_FOR_REQUEST: one connection from a request's first query to its end, always returned.</summary>
public sealed class RequestConnectionTests : DatabaseTest
{
    [Test]
    public async Task A_request_keeps_one_connection_from_its_first_query_and_returns_it_at_the_end()
    {
        System.Data.Common.DbConnection connection;
        using (var request = TestDatabase.Api.Services.CreateScope())
        {
            var db = request.ServiceProvider.GetRequiredService<UsersDbContext>();
            connection = db.Database.GetDbConnection();
            connection.State.Should().Be(ConnectionState.Closed, "nothing is opened before the first query");

            var first = await BackendProcessIdAsync(db);
            connection.State.Should().Be(ConnectionState.Open);
            var second = await BackendProcessIdAsync(db);

            second.Should().Be(first, "both queries ran on the same server connection");
        }

        connection.State.Should().Be(ConnectionState.Closed, "the end of the request returns the connection to the pool");
    }

    [Test]
    public async Task Without_the_setting_each_query_returns_its_connection()
    {
        await using var db = TestDatabase.CreateDbContext(new DatabaseOptions { UseConnectionForRequest = false });

        await BackendProcessIdAsync(db);

        db.Database.GetDbConnection().State.Should().Be(ConnectionState.Closed);
    }

    [Test]
    public async Task Failed_requests_return_their_connection_to_a_pool_of_one()
    {
        // The ten concurrent writes queue for the one connection: longer than the default wait on a slow machine.
        await using var api = new ApiFactory(new Dictionary<string, string?>
        {
            ["DB_POOL_MIN_SIZE"] = "1",
            ["DB_POOL_MAX_SIZE"] = "1",
            ["DB_CONNECT_TIMEOUT"] = "30",
        });
        using var client = api.CreateClient();
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 20; i++)
        {
            (await client.GetAsync("/users/424242")).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await client.DeleteAsync("/users/424242")).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await client.PostAsJsonAsync("/users", new { name = (string?)null })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => client.PostAsJsonAsync("/users", new { name = $"u{i}" })));

        concurrent.Select(response => response.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a leaked connection would make the next request wait for the pool's timeout");
    }

    [Test]
    public async Task Requests_that_fail_in_the_database_return_their_connection_to_a_pool_of_one()
    {
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["DB_POOL_MIN_SIZE"] = "1", ["DB_POOL_MAX_SIZE"] = "1" });
        using var client = api.CreateClient();
        var id = await client.CreateUserAsync("kept");

        await TestDatabase.ExecuteAsync("ALTER TABLE users RENAME TO users_away");
        try
        {
            for (var i = 0; i < 5; i++)
            {
                (await client.GetAsync($"/users/{id}")).StatusCode.Should().Be(HttpStatusCode.InternalServerError);
            }
        }
        finally
        {
            await TestDatabase.ExecuteAsync("ALTER TABLE users_away RENAME TO users");
        }

        var clock = Stopwatch.StartNew();
        (await client.GetAsync($"/users/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the failed requests gave their connection back");
    }

    private static Task<int> BackendProcessIdAsync(UsersDbContext db) =>
        db.Database.SqlQuery<int>($"SELECT pg_backend_pid() AS \"Value\"").SingleAsync();
}

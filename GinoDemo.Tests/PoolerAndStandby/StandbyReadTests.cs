using System.Net;
using System.Net.Http.Json;
using GinoDemo.Tests.Faults;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests.PoolerAndStandby;

/// <summary>
/// <c>DB_READ_DSN</c> on a real streaming standby: with <c>synchronous_commit = remote_apply</c> a client reads its own
/// writes from the standby at once; reads go back to the primary while the standby lags beyond <c>DB_READ_MAX_LAG</c>,
/// is down, or was promoted; without <c>remote_apply</c> the API does not start.
/// </summary>
public sealed class StandbyReadTests : PoolerAndStandbyTest
{
    private const string ToStandby = "Reads go to the standby";
    private const string ToPrimary = "Reads go to the primary: ";

    private static string StandbyConnectionString => PoolerAndStandbySuite.Standby.ConnectionString(PoolerAndStandbySuite.Database);

    private static ApiFactory StartWithStandby(string? readDsn = null)
    {
        var settings = Settings();
        settings["DB_READ_DSN"] = readDsn ?? StandbyDsn;
        return new ApiFactory(settings);
    }

    private static int Count(ApiFactory api, string start) =>
        api.Logs.Messages.Count(message => message.StartsWith(start, StringComparison.Ordinal));

    [Test]
    public async Task A_client_reads_its_own_writes_from_the_standby_at_once()
    {
        await using var api = StartWithStandby();
        using var client = api.CreateClient();
        await WaitUntilAsync(() => Count(api, ToStandby) == 1, Patience, "reads go to the standby");

        var stale = 0;
        for (var i = 0; i < 50; i++)
        {
            var id = await client.CreateUserAsync($"mine {i}");
            using var read = await client.GetAsync($"/users/{id}");
            stale += read.StatusCode == HttpStatusCode.OK ? 0 : 1;
            using var renamed = await client.SendAsync(HttpMethod.Patch, $"/users/{id}", $$"""{"name": "renamed {{i}}"}""", ("If-Match", ETags.Of(read)!));
            using var reread = await client.GetAsync($"/users/{id}");
            var body = await reread.Content.ReadFromJsonAsync<UserBody>();
            stale += body?.Nickname == $"renamed {i}" && ETags.Of(reread) == ETags.Of(renamed) ? 0 : 1;
            using var page = await client.GetAsync($"/users?after={id - 1}&limit=1");
            stale += (await page.Content.ReadAsStringAsync()).Contains($"renamed {i}", StringComparison.Ordinal) ? 0 : 1;
        }

        stale.Should().Be(0);
        Count(api, ToPrimary).Should().Be(0, "the standby served every read: {0}", string.Join('\n', api.Logs.Messages));
        using var ready = await client.GetAsync("/healthz/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK, "the primary commits with remote_apply");
        (await ready.Content.ReadAsStringAsync()).Should().Contain("reads go to the standby");
    }

    [Test]
    public async Task A_standby_behind_by_more_than_DB_READ_MAX_LAG_hands_reads_to_the_primary()
    {
        await using var api = StartWithStandby();
        using var client = api.CreateClient();
        await WaitUntilAsync(() => Count(api, ToStandby) == 1, Patience, "reads go to the standby");
        await PoolerAndStandbySuite.ScalarAsync(StandbyConnectionString, "SELECT pg_wal_replay_pause()");
        try
        {
            // Another client's write that does not wait for the standby (the API's own sessions do).
            var id = await InsertWithoutWaitingForTheStandbyAsync("someone else's");
            (await client.GetAsync($"/users/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound,
                "read from the standby, which has not applied it yet: a stale read of another's write, bounded by the lag");

            await WaitUntilAsync(() => Count(api, ToPrimary + "the standby lags") == 1, TimeSpan.FromSeconds(10), "reads go to the primary");
            (await client.GetAsync($"/users/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            await PoolerAndStandbySuite.ScalarAsync(StandbyConnectionString, "SELECT pg_wal_replay_resume()");
        }

        await WaitUntilAsync(() => Count(api, ToStandby) == 2, TimeSpan.FromSeconds(10), "reads go to the standby again once it caught up");
    }

    [Test]
    public async Task Reads_go_to_the_primary_while_the_standby_is_down()
    {
        await using var api = StartWithStandby();
        using var client = api.CreateClient();
        var id = await client.CreateUserAsync("kept");
        await WaitUntilAsync(() => Count(api, ToStandby) == 1, Patience, "reads go to the standby");
        await PoolerAndStandbySuite.Standby.StopAsync();
        try
        {
            // The first read meets the refused connection itself, before any probe.
            (await client.GetAsync($"/users/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await client.GetAsync("/users")).StatusCode.Should().Be(HttpStatusCode.OK);
            Count(api, ToPrimary + "the standby is unreachable").Should().Be(1);
        }
        finally
        {
            await PoolerAndStandbySuite.Standby.StartAsync();
        }

        await WaitUntilAsync(() => Count(api, ToStandby) == 2, Patience, "reads go to the standby again once it answers");
        (await client.GetAsync($"/users/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task A_promoted_standby_no_longer_serves_reads()
    {
        await using var promoted = await PostgresCluster.CreateStandbyAsync(PoolerAndStandbySuite.Primary, "standby_promoted");
        await using var api = StartWithStandby(promoted.Dsn(PoolerAndStandbySuite.Database));
        using var client = api.CreateClient();
        await WaitUntilAsync(() => Count(api, ToStandby) == 1, Patience, "reads go to the standby");

        await promoted.PromoteAsync();

        await WaitUntilAsync(() => Count(api, ToPrimary + "the standby is not in recovery") == 1, TimeSpan.FromSeconds(10), "reads go to the primary");
        var id = await client.CreateUserAsync("after the promotion");
        (await client.GetAsync($"/users/{id}")).StatusCode.Should().Be(HttpStatusCode.OK, "read from the primary, which the promoted server no longer follows");
    }

    [Test]
    public async Task Without_remote_apply_on_the_primary_the_API_does_not_start()
    {
        const string Database = "scaling_async_test";
        await PoolerAndStandbySuite.Primary.ExecuteAsync($"DROP DATABASE IF EXISTS {Database}");
        await PoolerAndStandbySuite.Primary.ExecuteAsync($"CREATE DATABASE {Database}");
        var settings = Settings(PoolerAndStandbySuite.Primary.Dsn(Database));
        settings["DB_READ_DSN"] = PoolerAndStandbySuite.Standby.Dsn(Database);
        await using var api = StartProcess(settings);

        (await api.WaitForExitAsync(Patience)).Should().Be(2, api.Output);
        StartupOutput.ShouldSayOnlyWhatToDo(api.Output,
            "The settings do not fit the database; not starting: DB_READ_DSN is set, but the primary does not wait for the standby to apply "
            + "each commit (synchronous_commit is 'on', synchronous_standby_names is 'standby1'), so a client could miss its own write on the "
            + "standby: on the primary set synchronous_standby_names to the standby's name and synchronous_commit = remote_apply "
            + "(postgresql.conf, or ALTER ROLE/DATABASE ... SET), or unset DB_READ_DSN.",
            maxLines: 6);
    }

    private static async Task<long> InsertWithoutWaitingForTheStandbyAsync(string name)
    {
        await using var connection = new NpgsqlConnection(PoolerAndStandbySuite.PrimaryConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var local = new NpgsqlCommand("SET LOCAL synchronous_commit = local", connection, transaction))
        {
            await local.ExecuteNonQueryAsync();
        }

        await using var insert = new NpgsqlCommand("INSERT INTO users (nickname) VALUES ($1) RETURNING id", connection, transaction) { Parameters = { new() { Value = name } } };
        var id = (long)(await insert.ExecuteScalarAsync())!;
        await transaction.CommitAsync();
        return id;
    }
}

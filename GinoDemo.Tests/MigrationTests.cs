using System.Net;
using System.Net.Http.Json;
using GinoDemo.Data;
using GinoDemo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace GinoDemo.Tests;

/// <summary>The deployment's migrate step and the migrate-on-startup switch, on databases of their own.</summary>
public sealed class MigrationTests : ScratchDirectoryTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Test]
    public async Task Three_replicas_migrating_a_new_database_at_once_all_succeed_and_apply_each_migration_once()
    {
        await using var database = new ScratchDatabase();
        var replicas = Enumerable.Range(0, 3)
            .Select(_ => ApiProcess.Start(WorkingDirectory, database.ApiEnvironment, arguments: ["migrate"]))
            .ToList();
        try
        {
            var exitCodes = await Task.WhenAll(replicas.Select(replica => replica.WaitForExitAsync(Patience)));

            exitCodes.Should().AllBeEquivalentTo(0, string.Join("\n---\n", replicas.Select(replica => replica.Output)));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }

        await using var db = database.CreateDbContext();
        (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        (await database.CountAsync("SELECT count(*) FROM \"__EFMigrationsHistory\""))
            .Should().Be(db.Database.GetMigrations().Count(), "each migration is recorded once");
        (await database.CountAsync("SELECT count(*) FROM users")).Should().Be(0);
    }

    [Test]
    public async Task Without_the_switch_the_API_does_not_migrate_and_is_not_ready()
    {
        await using var database = new ScratchDatabase();
        await database.CreateAsync();
        await using var api = ApiProcess.Start(WorkingDirectory, database.ApiEnvironment);
        await api.WaitForOutputAsync("Now listening on", Patience);
        using var client = api.CreateClient();

        using var ready = await client.GetAsync("/healthz/ready");

        var problem = await ready.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        await using var db = database.CreateDbContext();
        problem.GetProperty("detail").GetString().Should().Contain($"behind this build by {db.Database.GetMigrations().Count()} migration(s)")
            .And.Contain("run the migrate step");
        (await database.CountAsync("SELECT count(*) FROM pg_tables WHERE tablename = 'users'")).Should().Be(0);
    }

    [Test]
    public async Task With_DB_MIGRATE_ON_STARTUP_the_API_creates_and_migrates_its_database_then_serves()
    {
        await using var database = new ScratchDatabase();
        await using var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>(database.ApiEnvironment)
        {
            ["DB_MIGRATE_ON_STARTUP"] = "true",
        });
        await api.WaitForOutputAsync("Now listening on", Patience);
        using var client = api.CreateClient();

        (await client.GetAsync("/healthz/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PostAsJsonAsync("/users", new { name = "migrated" })).StatusCode.Should().Be(HttpStatusCode.Created);
        await using var db = database.CreateDbContext();
        api.Output.Should().Contain($"Schema up to date; applied {db.Database.GetMigrations().Count()} migration(s)");
    }

    [Test]
    public async Task The_nickname_limit_keeps_longer_rows_stored_before_it_and_refuses_new_ones()
    {
        await using var database = new ScratchDatabase();
        await using (var db = database.CreateDbContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().First());
        }

        var longName = new string('x', User.MaxNicknameLength + 44);
        await using (var command = database.DataSource.CreateCommand($"INSERT INTO users (nickname) VALUES ('{longName}')"))
        {
            await command.ExecuteNonQueryAsync();
        }

        await using (var db = database.CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        (await database.CountAsync($"SELECT count(*) FROM users WHERE nickname = '{longName}'")).Should().Be(1, "nothing stored is lost");
        await using var insert = database.DataSource.CreateCommand($"INSERT INTO users (nickname) VALUES ('{longName}')");
        var refused = async () => await insert.ExecuteNonQueryAsync();
        (await refused.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.CheckViolation);
    }

    [Test]
    public async Task The_healthcheck_command_exits_0_on_a_live_API_and_1_on_a_dead_port()
    {
        await using var api = ApiProcess.Start(WorkingDirectory, TestDatabase.ApiEnvironment);
        await api.WaitForOutputAsync("Now listening on", Patience);

        await using var live = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>(),
            arguments: ["healthcheck", new Uri(api.BaseAddress, "/healthz/live").ToString()]);
        await using var dead = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>(),
            arguments: ["healthcheck", $"http://127.0.0.1:{ApiProcess.FreePort()}/healthz/live"]);

        (await live.WaitForExitAsync(Patience)).Should().Be(0, live.Output);
        (await dead.WaitForExitAsync(Patience)).Should().Be(1, dead.Output);
    }
}

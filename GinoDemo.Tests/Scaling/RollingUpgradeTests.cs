using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using GinoDemo.Data;
using GinoDemo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql;

namespace GinoDemo.Tests.Scaling;

/// <summary>
/// Scenario 3: a rolling upgrade under load through HAProxy and PgBouncer. First the new version's migration is
/// applied on a direct connection to the primary, as <c>migrate</c> applies one (EF Core's SQL for it and its history
/// row, in one transaction; the published build cannot carry a migration it does not have, so the test writes it):
/// nickname widened to varchar(300) and a nullable column added, an expand step the running version ignores. Then
/// each replica in turn is drained on HAProxy's runtime API (<c>state maint</c>), stopped with SIGTERM, started
/// again, warmed up directly and put back (<c>state ready</c>) once its health check passes. Clients create (with and without a key),
/// rename, delete, read and list throughout: no 5xx, every acknowledged write kept.
/// </summary>
[DependsOnFixture(typeof(ReplicaKilledUnderLoadTests), AllowFailure = true)]
public sealed class RollingUpgradeTests : ScalingTest
{
    private const int Writers = 4;
    private const int Readers = 2;
    private const string MigrationId = "29991231000000_ScalingRollingUpgrade";
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(1.5);

    private readonly ConcurrentBag<(string Method, int Status)> _answers = [];
    private readonly ConcurrentDictionary<long, string> _expected = new();
    private readonly ConcurrentBag<long> _deleted = [];
    private readonly ConcurrentQueue<long> _readable = new();

    [Test]
    public async Task A_migration_and_a_restart_of_every_replica_under_load_answer_no_5xx_and_keep_every_acknowledged_write()
    {
        using var proxy = Client(connections: Writers + Readers);
        using var stop = new CancellationTokenSource();
        Task[] load =
        [
            .. Enumerable.Range(0, Writers).Select(writer => WriteAsync(proxy, writer, stop.Token)),
            .. Enumerable.Range(0, Readers).Select(reader => ReadAsync(proxy, reader, stop.Token)),
        ];

        await Task.Delay(Steady);
        var clock = Stopwatch.StartNew();
        await MigrateAsync();
        var migrated = clock.Elapsed;
        var restarts = new List<TimeSpan>();
        for (var replica = 0; replica < Topology.ReplicaCount; replica++)
        {
            var restart = Stopwatch.StartNew();
            await DrainAsync(replica);
            var drained = restart.Elapsed;
            await Topology.StopReplicaAsync(replica);
            var stopped = restart.Elapsed;
            await Topology.StartReplicaInRotationAsync(replica);
            restarts.Add(restart.Elapsed);
            TestContext.Progress.WriteLine($"replica {replica}: drained {drained}, stopped {stopped}, warmed up and UP {restart.Elapsed}");
        }

        var upgraded = clock.Elapsed;
        await Task.Delay(Steady);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var stored = (await StoredAsync(Run)).ToDictionary(row => row.Id, row => row.Nickname);
        var lost = _expected.Count(write => !stored.TryGetValue(write.Key, out var nickname) || nickname != write.Value);
        var resurrected = _deleted.Count(stored.ContainsKey);
        var duplicates = stored.Values.GroupBy(nickname => nickname).Count(rows => rows.Count() > 1);
        Report.Add("3. A rolling upgrade under load (a migration on a direct connection, then each replica drained, stopped, started)",
        [
            ("requests through HAProxy (GET, list, POST, keyed POST, PATCH, DELETE)", _answers.Count),
            .. _answers.GroupBy(answer => answer.Method).OrderBy(group => group.Key).Select(group => ($"{group.Key}: answers 2xx / all", (object)$"{group.Count(answer => answer.Status is >= 200 and < 300)} / {group.Count()}")),
            ("answers 5xx", _answers.Count(answer => answer.Status >= 500)),
            ("requests without an answer", _answers.Count(answer => answer.Status == 0)),
            ("acknowledged writes checked", _expected.Count),
            ("lost acknowledged writes", lost),
            ("acknowledged deletes undone", resurrected),
            ("nicknames stored twice", duplicates),
            ("migration applied in", migrated),
            ("each replica drained, stopped and back in rotation in", string.Join(" / ", restarts.Select(Faults.FaultReport.Seconds))),
            ("whole upgrade", upgraded),
        ]);

        _answers.Should().NotBeEmpty();
        _answers.Should().OnlyContain(answer => answer.Status >= 200 && answer.Status < 300, "a rolling upgrade is invisible to clients");
        lost.Should().Be(0, "every acknowledged create and rename is stored");
        resurrected.Should().Be(0, "every acknowledged delete stays done");
        duplicates.Should().Be(0, "no create ran twice");
        (await CountOnPrimaryAsync($"SELECT count(*) FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = '{MigrationId}'")).Should().Be(1);
    }

    /// <summary>HAProxy sends the replica nothing new; returns once it has no request left in flight (5 s at most).</summary>
    private static async Task DrainAsync(int replica)
    {
        await Topology.Proxy.CommandAsync($"set server {HaProxy.Backend}/{HaProxy.Server(replica)} state maint");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (await Topology.Proxy.StatAsync(HaProxy.Server(replica), "scur") != "0" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>The new version's migration, applied as <c>migrate</c> applies one: its SQL and its history row in one transaction.</summary>
    private static async Task MigrateAsync()
    {
        await using var database = Topology.PrimaryDataSource();
        List<string> sql;
        await using (var db = new UsersDbContext(new DbContextOptionsBuilder<UsersDbContext>().UseNpgsql(database).Options))
        {
            var generator = db.GetService<IMigrationsSqlGenerator>();
            MigrationOperation[] operations =
            [
                new AlterColumnOperation
                {
                    Table = "users", Name = "nickname", ClrType = typeof(string), ColumnType = "character varying(300)", DefaultValue = "unnamed",
                    OldColumn = new AddColumnOperation { Table = "users", Name = "nickname", ClrType = typeof(string), ColumnType = "text", DefaultValue = "unnamed" },
                },
                new AddColumnOperation { Table = "users", Name = "email", ClrType = typeof(string), ColumnType = "text", IsNullable = true },
            ];
            sql = [.. generator.Generate(operations, db.Model).Select(command => command.CommandText)];
            sql.Add($"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('{MigrationId}', '{typeof(DbContext).Assembly.GetName().Version!.ToString(3)}')");
        }

        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var statement in sql)
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static async Task<long> CountOnPrimaryAsync(string sql)
    {
        await using var database = Topology.PrimaryDataSource();
        return await TestDatabase.CountAsync(sql, database);
    }

    private async Task WriteAsync(HttpClient client, int writer, CancellationToken stop)
    {
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            var name = $"rolling {Run} writer {writer} #{round}";
            if (await CreateAsync(client, name, key: round % 2 == 0 ? Guid.NewGuid().ToString() : null) is { } kept)
            {
                _expected[kept] = name;
                using var renamed = await SendAsync("PATCH", ct => client.PatchAsJsonAsync($"/users/{kept}", new { name = name + " renamed" }, ct));
                if (renamed?.StatusCode == HttpStatusCode.OK)
                {
                    _expected[kept] = name + " renamed";
                    _readable.Enqueue(kept);
                }
            }

            if (await CreateAsync(client, name + " temporary", key: null) is { } temporary)
            {
                _expected[temporary] = name + " temporary";
                using var deleted = await SendAsync("DELETE", ct => client.DeleteAsync($"/users/{temporary}", ct));
                if (deleted?.StatusCode == HttpStatusCode.OK)
                {
                    _expected.TryRemove(temporary, out _);
                    _deleted.Add(temporary);
                }
            }
        }
    }

    private async Task ReadAsync(HttpClient client, int reader, CancellationToken stop)
    {
        var random = new Random(reader);
        while (!stop.IsCancellationRequested)
        {
            if (await Faults.FaultTest.PickKnownAsync(_readable, random) is { } id)
            {
                (await SendAsync("GET", ct => client.GetAsync($"/users/{id}", ct)))?.Dispose();
                (await SendAsync("GET list", ct => client.GetAsync("/users?limit=20", ct)))?.Dispose();
            }
        }
    }

    private async Task<long?> CreateAsync(HttpClient client, string name, string? key)
    {
        using var created = await SendAsync(key is null ? "POST" : "POST keyed", ct => key is null
            ? client.PostAsJsonAsync("/users", new { name }, ct)
            : client.SendAsync(HttpMethod.Post, "/users", System.Text.Json.JsonSerializer.Serialize(new { name }), ("Idempotency-Key", key)));
        return created?.StatusCode == HttpStatusCode.Created ? (await created.Content.ReadFromJsonAsync<UserBody>())!.Id : null;
    }

    /// <summary>The answer, buffered; null (recorded as status 0) when none came.</summary>
    private async Task<HttpResponseMessage?> SendAsync(string method, Func<CancellationToken, Task<HttpResponseMessage>> send)
    {
        try
        {
            var response = await send(CancellationToken.None);
            await response.Content.LoadIntoBufferAsync();
            _answers.Add((method, (int)response.StatusCode));
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _answers.Add((method, 0));
            return null;
        }
    }
}

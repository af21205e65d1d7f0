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

namespace GinoDemo.Tests.Faults;

/// <summary>
/// Scenario 7: a migration while the API serves, as in the rollout the README recommends (<c>migrate</c> runs while
/// the old version still serves). Clients create, read, list, rename and delete users, with and without an
/// Idempotency-Key, while three migrations land one after the other: nickname widened from text to varchar(300),
/// a column added, that column dropped. Their SQL is what EF Core's Npgsql migrations generator writes for those
/// operations, each migration applied in a transaction of its own, as <c>migrate</c> applies them. The type change
/// makes every prepared statement that returns a nickname stale on every warm pooled connection.
/// </summary>
public sealed class MigrationUnderLoadTests : FaultTest
{
    private const int Writers = 6;
    private const int Readers = 2;
    private const string StalePlan = "cached plan must not change result type";
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan BetweenMigrations = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan AfterMigrations = TimeSpan.FromSeconds(2);

    private readonly ConcurrentBag<(string Method, int Status)> _answers = [];
    private readonly ConcurrentDictionary<long, string> _expected = new();
    private readonly ConcurrentBag<long> _deleted = [];
    private readonly ConcurrentQueue<long> _readable = new();

    [Test]
    public async Task A_migration_applied_under_load_answers_no_5xx_and_keeps_every_acknowledged_write()
    {
        await using var api = await StartServingAsync();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Writers + Readers };
        using var client = new HttpClient(handler) { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await WarmUpAsync(client);
        using var stop = new CancellationTokenSource();
        Task[] load =
        [
            .. Enumerable.Range(0, Writers).Select(writer => WriteAsync(client, writer, stop.Token)),
            .. Enumerable.Range(0, Readers).Select(reader => ReadAsync(client, reader, stop.Token)),
        ];

        // Long enough for every statement to be auto-prepared (5 uses) on every pooled connection in use.
        await Task.Delay(Steady);
        var clock = Stopwatch.StartNew();
        foreach (var migration in Migrations())
        {
            await ApplyAsync(migration);
            await Task.Delay(BetweenMigrations);
        }

        var migrating = clock.Elapsed;
        await Task.Delay(AfterMigrations);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var stored = await StoredAsync();
        var lost = _expected.Count(write => !stored.TryGetValue(write.Key, out var nickname) || nickname != write.Value);
        var resurrected = _deleted.Count(stored.ContainsKey);
        var duplicates = stored.Values.GroupBy(nickname => nickname).Count(rows => rows.Count() > 1);
        var rerun = api.CountLines(StalePlan);
        FaultReport.Add("7. A migration under load (nickname to varchar(300), a column added, then dropped)",
        [
            ("requests (GET, list, POST, keyed POST, PATCH, DELETE)", _answers.Count),
            .. _answers.GroupBy(answer => answer.Method).OrderBy(group => group.Key).Select(group => ($"{group.Key}: answers 2xx / all", (object)$"{group.Count(answer => answer.Status is >= 200 and < 300)} / {group.Count()}")),
            ("answers 5xx", _answers.Count(answer => answer.Status >= 500)),
            ("answers other than 2xx", _answers.Count(answer => answer.Status is < 200 or >= 300)),
            ("statements re-run after a stale prepared statement (0A000)", rerun),
            ("acknowledged writes checked (users that must exist with their last acknowledged nickname)", _expected.Count),
            ("lost acknowledged writes", lost),
            ("acknowledged deletes undone", resurrected),
            ("nicknames stored twice (a create run twice)", duplicates),
            ("three migrations applied in", migrating),
        ]);
        _answers.Should().NotBeEmpty();
        var refusals = string.Join("; ", api.Output.Split('\n').Where(line => line.Contains("answered 503", StringComparison.Ordinal)).Take(5));
        _answers.Should().OnlyContain(answer => answer.Status >= 200 && answer.Status < 300,
            "a statement refused before it ran is run again, never answered 5xx (the API logged: {0})", refusals);
        rerun.Should().BePositive("the type change made prepared statements stale, and each was run again");
        lost.Should().Be(0, "every acknowledged create and rename is stored");
        resurrected.Should().Be(0, "every acknowledged delete stays done");
        duplicates.Should().Be(0, "no create ran twice: a statement is re-run only when it never ran");
        api.Output.Should().NotContain("Unhandled exception");
    }

    /// <summary>Three migrations, each the SQL EF Core's Npgsql generator writes for its operation.</summary>
    private IEnumerable<IReadOnlyList<string>> Migrations()
    {
        using var db = new UsersDbContext(new DbContextOptionsBuilder<UsersDbContext>().UseNpgsql(DataSource).Options);
        var generator = db.GetService<IMigrationsSqlGenerator>();
        MigrationOperation[] operations =
        [
            new AlterColumnOperation
            {
                Table = "users", Name = "nickname", ClrType = typeof(string), ColumnType = "character varying(300)", DefaultValue = "unnamed",
                OldColumn = new AddColumnOperation { Table = "users", Name = "nickname", ClrType = typeof(string), ColumnType = "text", DefaultValue = "unnamed" },
            },
            new AddColumnOperation { Table = "users", Name = "email", ClrType = typeof(string), ColumnType = "text", IsNullable = true },
            new DropColumnOperation { Table = "users", Name = "email" },
        ];
        return [.. operations.Select(operation => (IReadOnlyList<string>)[.. generator.Generate([operation], db.Model).Select(command => command.CommandText)])];
    }

    private async Task ApplyAsync(IReadOnlyList<string> migration)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var sql in migration)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>
    /// A writer's users are its own: it creates one to keep and renames it, creates one to delete and deletes it,
    /// and every third round creates one with an Idempotency-Key, sent twice. Each acknowledged answer updates what
    /// must be stored afterwards.
    /// </summary>
    private async Task WriteAsync(HttpClient client, int writer, CancellationToken stop)
    {
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            var name = $"writer {writer} #{round}";
            if (await CreateAsync(client, name, key: null) is { } kept)
            {
                _expected[kept] = name;
                using var renamed = await SendAsync("PATCH", () => client.PatchAsJsonAsync($"/users/{kept}", new { name = name + " renamed" }, CancellationToken.None));
                if (renamed.StatusCode == HttpStatusCode.OK)
                {
                    _expected[kept] = name + " renamed";
                    _readable.Enqueue(kept);
                }
            }

            if (await CreateAsync(client, name + " temporary", key: null) is { } temporary)
            {
                _expected[temporary] = name + " temporary";
                using var deleted = await SendAsync("DELETE", () => client.DeleteAsync($"/users/{temporary}", CancellationToken.None));
                if (deleted.StatusCode == HttpStatusCode.OK)
                {
                    _expected.TryRemove(temporary, out _);
                    _deleted.Add(temporary);
                }
            }

            if (round % 3 == 0)
            {
                var key = $"{writer}-{round}-{Guid.NewGuid():N}";
                var first = await CreateAsync(client, name + " keyed", key);
                var again = await CreateAsync(client, name + " keyed", key);
                if (first is { } id)
                {
                    _expected[id] = name + " keyed";
                    again.Should().Be(id, "the same key answers the same user");
                }
            }
        }
    }

    private async Task ReadAsync(HttpClient client, int reader, CancellationToken stop)
    {
        var random = new Random(reader);
        while (!stop.IsCancellationRequested)
        {
            if (await FaultTest.PickKnownAsync(_readable, random) is { } id)
            {
                (await SendAsync("GET", () => client.GetAsync($"/users/{id}", CancellationToken.None))).Dispose();
                (await SendAsync("GET list", () => client.GetAsync("/users?limit=20", CancellationToken.None))).Dispose();
            }
        }
    }

    private async Task<long?> CreateAsync(HttpClient client, string name, string? key)
    {
        using var created = await SendAsync(key is null ? "POST" : "POST keyed", () => key is null
            ? client.PostAsJsonAsync("/users", new { name }, CancellationToken.None)
            : client.SendAsync(HttpMethod.Post, "/users", System.Text.Json.JsonSerializer.Serialize(new { name }), ("Idempotency-Key", key)));
        return created.StatusCode == HttpStatusCode.Created ? (await created.Content.ReadFromJsonAsync<UserBody>())!.Id : null;
    }

    private async Task<HttpResponseMessage> SendAsync(string method, Func<Task<HttpResponseMessage>> send)
    {
        var response = await send();
        await response.Content.LoadIntoBufferAsync();
        _answers.Add((method, (int)response.StatusCode));
        return response;
    }

    private async Task<Dictionary<long, string>> StoredAsync()
    {
        await using var command = DataSource.CreateCommand("SELECT id, nickname FROM users");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<long, string>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetInt64(0)] = reader.GetString(1);
        }

        return rows;
    }
}

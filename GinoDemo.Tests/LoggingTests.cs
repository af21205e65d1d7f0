using System.Net.Http.Json;
using GinoDemo.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GinoDemo.Tests;

public sealed class LoggingTests : DatabaseTest
{
    private const string SqlCategory = "Microsoft.EntityFrameworkCore.Database.Command";

    [Test]
    public async Task With_db_echo_every_sql_statement_is_logged()
    {
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["DB_ECHO"] = "true" });
        using var client = api.CreateClient();

        (await client.PostAsJsonAsync("/users", new { name = "echo" })).EnsureSuccessStatusCode();

        api.Logs.Entries.Should().Contain(entry =>
            entry.Category == SqlCategory && entry.Level == LogLevel.Information && entry.Message.Contains("INSERT INTO users"));
    }

    [Test]
    public async Task Db_echo_changes_only_the_logs_so_the_compiled_queries_serve_hosts_with_and_without_it()
    {
        // EF Core runs a compiled query on one model only; options that differed with DB_ECHO built a second one.
        await using var echoing = new ApiFactory(new Dictionary<string, string?> { ["DB_ECHO"] = "true" });
        await using var quiet = new ApiFactory();
        var id = await quiet.CreateClient().CreateUserAsync("both");

        foreach (var api in new[] { echoing, quiet, echoing })
        {
            using var response = await api.CreateClient().GetAsync($"/users/{id}");
            response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        }
    }

    [Test]
    public async Task Without_db_echo_no_sql_is_logged()
    {
        await using var api = new ApiFactory();
        using var client = api.CreateClient();

        (await client.PostAsJsonAsync("/users", new { name = "quiet" })).EnsureSuccessStatusCode();

        api.Logs.Entries.Should().NotContain(entry => entry.Category == SqlCategory || entry.Message.Contains("INSERT INTO"));
    }

    [Test]
    public async Task The_password_is_masked_in_the_startup_log_and_appears_nowhere()
    {
        var password = new NpgsqlConnectionStringBuilder(TestDatabase.Options.ConnectionString).Password;
        Assume.That(password, Is.Not.Null.And.Not.Empty, "the test server must use a password for this check");
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["DB_ECHO"] = "true" });
        using var client = api.CreateClient();
        (await client.GetAsync("/users/1")).Dispose();

        api.Logs.Messages.Should().Contain(message => message.StartsWith("Connecting to the database: postgresql://", StringComparison.Ordinal) && message.Contains(":***@"));
        api.Logs.Messages.Should().NotContain(message => message.Contains(password!));
    }
}

using System.Net;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests;

/// <summary>
/// If-None-Match: on GET a client whose copy is current gets 304 without a body; on a write it is checked in the same
/// statement as the write. <see cref="ConditionalRequestMatrixTests"/> covers every method and combination.
/// </summary>
public sealed class IfNoneMatchTests : ApiTest
{
    [Test]
    public async Task The_current_etag_answers_304_without_a_body_but_with_the_etag()
    {
        var (id, etag) = await Users.CreateWithETagAsync("a");

        using var response = await GetAsync(id, etag);

        response.StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        ETags.Of(response).Should().Be(etag);
    }

    [Test]
    public async Task A_stale_etag_answers_200_with_the_user_and_its_new_etag()
    {
        var (id, stale) = await Users.CreateWithETagAsync("a");
        await Users.UpdateAsync(id, new() { Name = "b" });

        using var response = await GetAsync(id, stale);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be($$"""{"id":{{id}},"nickname":"b"}""");
        ETags.Of(response).Should().NotBe(stale);
    }

    [Test]
    public async Task A_list_holding_the_current_etag_its_weak_form_or_a_star_answer_304()
    {
        var (id, etag) = await Users.CreateWithETagAsync("a");

        using var list = await GetAsync(id, $"\"1\", {etag}");
        using var weak = await GetAsync(id, $"W/{etag}");
        using var star = await GetAsync(id, "*");

        list.StatusCode.Should().Be(HttpStatusCode.NotModified);
        weak.StatusCode.Should().Be(HttpStatusCode.NotModified, "If-None-Match compares weakly (RFC 9110 section 13.1.2)");
        star.StatusCode.Should().Be(HttpStatusCode.NotModified);
    }

    [Test]
    public async Task A_missing_user_is_a_404_whatever_the_header_says()
    {
        using var response = await GetAsync(42, "*");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [TestCase("abc")]
    [TestCase("\"unterminated")]
    [TestCase("\"1\" \"2\"")]
    public async Task A_malformed_header_is_a_400_problem_naming_it(string header)
    {
        var (id, _) = await Users.CreateWithETagAsync("a");

        using var response = await GetAsync(id, header);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Should().Equal("If-None-Match");
    }

    [TestCase("PATCH")]
    [TestCase("DELETE")]
    public async Task A_write_waiting_for_a_concurrent_change_is_a_412_when_if_none_match_names_the_version_that_change_commits(string method)
    {
        var id = await Client.CreateUserAsync("a");
        await using var connection = await TestDatabase.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // The concurrent change holds the row, and its version (this transaction's id) is known before it commits.
        string committing;
        await using (var change = new NpgsqlCommand($"UPDATE users SET nickname = 'concurrent' WHERE id = {id} RETURNING xmin::text", connection, transaction))
        {
            committing = (string)(await change.ExecuteScalarAsync())!;
        }

        var write = Client.SendAsync(new HttpMethod(method), $"/users/{id}", method == "PATCH" ? """{"name":"b"}""" : null, ("If-None-Match", $"\"{committing}\""));
        // The write has read nothing and decided nothing yet: it waits for the row, as two racing clients would.
        await TableLock.WaitForWaitersAsync(1);
        await transaction.CommitAsync();
        using var response = await write;

        await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        ETags.Of(response).Should().Be($"\"{committing}\"");
        (await StoredUsers.NicknameAsync(id)).Should().Be("concurrent", "a version checked before the wait would have let the write through");
    }

    private Task<HttpResponseMessage> GetAsync(long id, string ifNoneMatch) => Client.SendAsync(HttpMethod.Get, $"/users/{id}", null, ("If-None-Match", ifNoneMatch));
}

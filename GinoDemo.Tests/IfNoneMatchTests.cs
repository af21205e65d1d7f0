using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>If-None-Match on GET: a client whose copy is current gets 304 without a body.</summary>
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

    private Task<HttpResponseMessage> GetAsync(long id, string ifNoneMatch) => Client.SendAsync(HttpMethod.Get, $"/users/{id}", null, ("If-None-Match", ifNoneMatch));
}

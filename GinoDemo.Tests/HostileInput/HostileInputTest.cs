using System.Text.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.HostileInput;

/// <summary>
/// Issue 3, "Hostile input never hurts the service": whatever a client sends, the answer is the expected client error
/// (never a 5xx) as RFC 9457 problem+json with a trace id, every user stored before is still there unchanged, and the
/// server keeps serving. Against a real Kestrel in the Production environment (<see cref="HostileInputSuite"/>), so
/// that Kestrel's own parsing and limits are part of what is tested, as they are in production. Each class of this
/// folder is one kind of input; each of its cases carries its <see cref="ExpectedAnswer"/>.
/// </summary>
/// <remarks>
/// Documented limits these cases hold the product to: a nickname is at most 256 Unicode code points (as PostgreSQL's
/// <c>char_length</c> counts them); a body is at most 64 KiB; request headers over 32 KiB in total are a 431 problem
/// (below Kestrel's own hard limit of 128 KiB, which stays Kestrel's empty 431).
/// </remarks>
public abstract class HostileInputTest : DatabaseTest
{
    protected const int MaxNicknameLength = 256;
    protected const int MaxBodySize = 64 * 1024;

    private static readonly string[] SeededNames = ["fantix", "Zoë 🐘 日本語", ""];

    private List<UserBody> _seeded = null!;

    private static KestrelApi Api => HostileInputSuite.Api;

    [SetUp]
    public async Task SeedUsers()
    {
        foreach (var name in SeededNames)
        {
            await Api.Client.CreateUserAsync(name);
        }

        _seeded = await StoredUsers.AllAsync();
        _seeded.Select(user => user.Nickname).Should().Equal(SeededNames);
    }

    /// <summary>
    /// Sends the case's request (about the first stored user) and asserts the <paramref name="expected"/> answer; that
    /// nothing stored changed but the one user a 201 adds; and that the server still serves. The cases are the
    /// <c>Cases()</c> of each derived class, one kind of input each: NUnit looks the source up on the fixture's type.
    /// </summary>
#pragma warning disable NUnit1011 // the source is declared by each derived fixture, where NUnit looks it up
    [TestCaseSource("Cases")]
#pragma warning restore NUnit1011
    public async Task A_hostile_request_gets_its_expected_answer_and_hurts_nothing(Send send, ExpectedAnswer expected)
    {
        var answer = await send(Api, _seeded[0].Id);

        answer.Status.Should().Be(expected.Status, "the answer was {0}", answer);
        if (expected.IsProblem)
        {
            ShouldBeProblem(answer, expected.Status);
        }

        if (expected.ReadsStoredUser)
        {
            JsonSerializer.Deserialize<UserBody>(answer.Body, JsonSerializerOptions.Web).Should().Be(_seeded[0]);
        }

        if (expected.Allow is not null)
        {
            answer.Headers.Should().ContainKey("Allow");
            answer.Headers["Allow"].Split(',', StringSplitOptions.TrimEntries).Should().BeEquivalentTo(expected.Allow.Split(", "));
        }

        var stored = await StoredUsers.AllAsync();
        if (expected.StoredNickname is null)
        {
            stored.Should().Equal(_seeded, "a request that creates no user changes nothing");
        }
        else
        {
            answer.MediaType.Should().Be("application/json");
            var created = JsonSerializer.Deserialize<UserBody>(answer.Body, JsonSerializerOptions.Web)!;
            created.Nickname.Should().Be(expected.StoredNickname, "the nickname is stored exactly as sent");
            _seeded.Select(user => user.Id).Should().NotContain(created.Id);
            stored.Should().Equal(_seeded.Append(created), "only the new user is added");
        }

        await ShouldStillServeAsync();
    }

    private static void ShouldBeProblem(HttpAnswer answer, int status)
    {
        answer.MediaType.Should().Be("application/problem+json", "the answer was {0}", answer);
        var problem = JsonDocument.Parse(answer.Body).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be(status);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        problem.GetProperty("traceId").GetString().Should().NotBeNullOrWhiteSpace();
    }

    private async Task ShouldStillServeAsync()
    {
        using var response = await Api.Client.GetAsync($"/users/{_seeded[0].Id}");
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(200, "the server keeps serving; it answered {0}", body);
        JsonSerializer.Deserialize<UserBody>(body, JsonSerializerOptions.Web).Should().Be(_seeded[0]);
    }
}

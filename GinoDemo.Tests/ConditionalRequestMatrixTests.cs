using System.Net;
using System.Text.Json;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>
/// If-Match and If-None-Match on every method, as RFC 9110 section 13.2.2 orders them: (1) If-Match false: 412;
/// (3) If-None-Match false: 304 on GET and HEAD, 412 on every other method. If-Match compares strongly (13.1.1),
/// If-None-Match weakly (13.1.2), "*" holds for any resource that exists. A missing user is a 404 whatever the headers
/// say (13.2.1). The users collection exists and has no ETag. The API sends no Last-Modified and serves no ranges, so
/// If-Unmodified-Since, If-Modified-Since and If-Range are ignored (13.1.3 to 13.1.5). A 412 changes nothing, which is
/// checked in the database itself, and carries the user's current ETag.
/// </summary>
public sealed class ConditionalRequestMatrixTests : ApiTest
{
    /// <summary>Stands for the user's current ETag in a case; replaced by it when the request is sent.</summary>
    private const string Current = "<current>";

    /// <summary>Another version: xid 1 is PostgreSQL's bootstrap transaction, never the xmin of a user row.</summary>
    private const string Other = "\"1\"";

    private const string LongAgo = "Thu, 01 Jan 1970 00:00:00 GMT";
    private const string FarAhead = "Fri, 31 Dec 9999 23:59:59 GMT";

    /// <summary>What RFC 9110 section 13.2.2 makes of a case's preconditions on a resource that exists.</summary>
    public enum Outcome
    {
        /// <summary>Every precondition holds (or is ignored): the method is performed.</summary>
        Performed,

        /// <summary>Step 1: If-Match is false. 412 for every method.</summary>
        IfMatchFails,

        /// <summary>Step 3: If-None-Match is false. 304 for GET and HEAD, 412 for the others.</summary>
        IfNoneMatchFails,
    }

    private static readonly string[] UserMethods = ["GET", "HEAD", "PATCH", "DELETE"];
    private static readonly string[] CollectionMethods = ["GET", "HEAD", "POST"];

    private static IEnumerable<(string Description, (string Name, string Value)[] Headers, Outcome Outcome)> UserPreconditions()
    {
        yield return ("no precondition", [], Outcome.Performed);
        yield return ("If-Match naming the current tag", [("If-Match", Current)], Outcome.Performed);
        yield return ("If-Match listing the current tag among others", [("If-Match", $"{Other}, {Current}")], Outcome.Performed);
        yield return ("If-Match *", [("If-Match", "*")], Outcome.Performed);
        yield return ("If-Match naming another tag", [("If-Match", Other)], Outcome.IfMatchFails);
        yield return ("If-Match naming the current tag as weak (strong comparison)", [("If-Match", $"W/{Current}")], Outcome.IfMatchFails);
        yield return ("If-None-Match naming another tag", [("If-None-Match", Other)], Outcome.Performed);
        yield return ("If-None-Match naming another weak tag", [("If-None-Match", $"W/{Other}")], Outcome.Performed);
        yield return ("If-None-Match naming the current tag", [("If-None-Match", Current)], Outcome.IfNoneMatchFails);
        yield return ("If-None-Match naming the current tag as weak (weak comparison)", [("If-None-Match", $"W/{Current}")], Outcome.IfNoneMatchFails);
        yield return ("If-None-Match listing the current tag among others", [("If-None-Match", $"{Other}, {Current}")], Outcome.IfNoneMatchFails);
        yield return ("If-None-Match *", [("If-None-Match", "*")], Outcome.IfNoneMatchFails);
        yield return ("If-Match current and If-None-Match another", [("If-Match", Current), ("If-None-Match", Other)], Outcome.Performed);
        yield return ("If-Match current and If-None-Match current", [("If-Match", Current), ("If-None-Match", Current)], Outcome.IfNoneMatchFails);
        yield return ("If-Match * and If-None-Match *", [("If-Match", "*"), ("If-None-Match", "*")], Outcome.IfNoneMatchFails);
        yield return ("If-Match another and If-None-Match current (If-Match first)", [("If-Match", Other), ("If-None-Match", Current)], Outcome.IfMatchFails);
        yield return ("If-Match another and If-None-Match another", [("If-Match", Other), ("If-None-Match", Other)], Outcome.IfMatchFails);
        yield return ("If-Unmodified-Since long ago (no modification date: ignored)", [("If-Unmodified-Since", LongAgo)], Outcome.Performed);
        yield return ("If-Modified-Since far ahead (no modification date: ignored)", [("If-Modified-Since", FarAhead)], Outcome.Performed);
        yield return ("If-Range naming another tag (no ranges: ignored)", [("If-Range", Other)], Outcome.Performed);
    }

    private static IEnumerable<(string Description, (string Name, string Value)[] Headers, Outcome Outcome)> CollectionPreconditions()
    {
        yield return ("no precondition", [], Outcome.Performed);
        yield return ("If-Match *", [("If-Match", "*")], Outcome.Performed);
        yield return ("If-Match naming a tag (the collection has none)", [("If-Match", Other)], Outcome.IfMatchFails);
        yield return ("If-Match naming a weak tag", [("If-Match", $"W/{Other}")], Outcome.IfMatchFails);
        yield return ("If-None-Match naming a tag", [("If-None-Match", Other)], Outcome.Performed);
        yield return ("If-None-Match * (the collection exists)", [("If-None-Match", "*")], Outcome.IfNoneMatchFails);
        yield return ("If-Match * and If-None-Match a tag", [("If-Match", "*"), ("If-None-Match", Other)], Outcome.Performed);
        yield return ("If-Match * and If-None-Match *", [("If-Match", "*"), ("If-None-Match", "*")], Outcome.IfNoneMatchFails);
        yield return ("If-Match a tag and If-None-Match * (If-Match first)", [("If-Match", Other), ("If-None-Match", "*")], Outcome.IfMatchFails);
        yield return ("If-Unmodified-Since long ago (no modification date: ignored)", [("If-Unmodified-Since", LongAgo)], Outcome.Performed);
    }

    private static IEnumerable<TestCaseData> UserCases() =>
        from method in UserMethods
        from precondition in UserPreconditions()
        let status = StatusFor(method, precondition.Outcome)
        select new TestCaseData(method, precondition.Headers, precondition.Outcome)
            .SetName($"{method} of a user with {precondition.Description} is a {status}{(status == 412 ? " and changes nothing" : "")}");

    private static IEnumerable<TestCaseData> MissingUserCases() =>
        from method in UserMethods
        from precondition in UserPreconditions()
        select new TestCaseData(method, precondition.Headers)
            .SetName($"{method} of a missing user with {precondition.Description} is a 404");

    private static IEnumerable<TestCaseData> CollectionCases() =>
        from method in CollectionMethods
        from precondition in CollectionPreconditions()
        let status = StatusFor(method, precondition.Outcome)
        select new TestCaseData(method, precondition.Headers, precondition.Outcome)
            .SetName($"{method} of the collection with {precondition.Description} is a {status}");

    private static IEnumerable<TestCaseData> MalformedCases() =>
        from target in UserMethods.Select(method => (method, "/users/{id}")).Concat(CollectionMethods.Select(method => (method, "/users")))
        from header in new (string Name, string Value)[] { ("If-Match", "abc"), ("If-Match", $"*, {Other}"), ("If-None-Match", "abc"), ("If-None-Match", "\"1\" \"2\"") }
        select new TestCaseData(target.method, target.Item2, header.Name, header.Value)
            .SetName($"{target.method} {target.Item2} with {header.Name}: {header.Value} is a 400 naming it and changes nothing");

    [TestCaseSource(nameof(UserCases))]
    public async Task A_precondition_on_a_user(string method, (string Name, string Value)[] headers, Outcome outcome)
    {
        var (id, etag) = await Users.CreateWithETagAsync("a");
        var stored = await StoredUsers.AllAsync();
        var version = await StoredUsers.VersionAsync(id);

        using var response = await SendAsync(method, $"/users/{id}", Resolve(headers, etag));

        var status = StatusFor(method, outcome);
        ((int)response.StatusCode).Should().Be(status);
        switch (status)
        {
            case 200 when method == "PATCH":
                (await BodyAsync<UserBody>(response)).Should().Be(new UserBody(id, "b"));
                (await StoredUsers.NicknameAsync(id)).Should().Be("b");
                ETags.Of(response).Should().Be($"\"{await StoredUsers.VersionAsync(id)}\"").And.NotBe(etag);
                break;
            case 200 when method == "DELETE":
                (await response.Content.ReadAsStringAsync()).Should().Be($$"""{"id":{{id}}}""");
                (await StoredUsers.CountAsync()).Should().Be(0);
                break;
            case 200:
                ETags.Of(response).Should().Be(etag);
                await ShouldBeJsonUnlessHeadAsync(response, method, new UserBody(id, "a"));
                await ShouldBeUnchangedAsync(stored, id, version);
                break;
            case 304:
                ETags.Of(response).Should().Be(etag);
                (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
                await ShouldBeUnchangedAsync(stored, id, version);
                break;
            default:
                ETags.Of(response).Should().Be(etag, "a 412 carries the current ETag");
                var problem = await ShouldBeProblemUnlessHeadAsync(response, method, HttpStatusCode.PreconditionFailed);
                problem?.GetProperty("detail").GetString().Should().Contain($"User {id} ")
                    .And.Contain(outcome == Outcome.IfMatchFails ? "If-Match" : "If-None-Match");
                await ShouldBeUnchangedAsync(stored, id, version);
                break;
        }
    }

    [TestCaseSource(nameof(MissingUserCases))]
    public async Task A_precondition_on_a_missing_user(string method, (string Name, string Value)[] headers)
    {
        var (id, etag) = await Users.CreateWithETagAsync("a");
        var stored = await StoredUsers.AllAsync();
        var version = await StoredUsers.VersionAsync(id);

        using var response = await SendAsync(method, $"/users/{id + 1}", Resolve(headers, etag));

        await ShouldBeProblemUnlessHeadAsync(response, method, HttpStatusCode.NotFound);
        ETags.Of(response).Should().BeNull();
        await ShouldBeUnchangedAsync(stored, id, version);
    }

    [TestCaseSource(nameof(CollectionCases))]
    public async Task A_precondition_on_the_collection(string method, (string Name, string Value)[] headers, Outcome outcome)
    {
        var id = await Client.CreateUserAsync("a");
        var stored = await StoredUsers.AllAsync();
        var version = await StoredUsers.VersionAsync(id);

        using var response = await SendAsync(method, "/users", headers);

        var status = StatusFor(method, outcome) is 200 && method == "POST" ? 201 : StatusFor(method, outcome);
        ((int)response.StatusCode).Should().Be(status);
        ETags.Of(response).Should().Be(status == 201 ? $"\"{await StoredUsers.VersionAsync(id + 1)}\"" : null, "the collection has no ETag");
        switch (status)
        {
            case 201:
                (await BodyAsync<UserBody>(response)).Should().Be(new UserBody(id + 1, "b"));
                (await StoredUsers.AllAsync()).Should().Equal(stored.Append(new UserBody(id + 1, "b")));
                break;
            case 200:
                await ShouldBeJsonUnlessHeadAsync(response, method, new { items = new[] { new UserBody(id, "a") }, next = (string?)null });
                break;
            case 304:
                (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
                await ShouldBeUnchangedAsync(stored, id, version);
                break;
            default:
                var problem = await ShouldBeProblemUnlessHeadAsync(response, method, HttpStatusCode.PreconditionFailed);
                problem?.GetProperty("detail").GetString().Should().Contain("/users ");
                await ShouldBeUnchangedAsync(stored, id, version);
                break;
        }
    }

    [TestCaseSource(nameof(MalformedCases))]
    public async Task A_malformed_precondition(string method, string path, string header, string value)
    {
        var (id, _) = await Users.CreateWithETagAsync("a");
        var stored = await StoredUsers.AllAsync();
        var version = await StoredUsers.VersionAsync(id);

        using var response = await SendAsync(method, path.Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), [(header, value)]);

        var problem = await ShouldBeProblemUnlessHeadAsync(response, method, HttpStatusCode.BadRequest);
        problem?.GetProperty("errors").EnumerateObject().Select(error => error.Name).Should().Equal(header);
        await ShouldBeUnchangedAsync(stored, id, version);
    }

    /// <summary>The status RFC 9110 section 13.2.2 gives the outcome on this method (200 when it is performed).</summary>
    private static int StatusFor(string method, Outcome outcome) => outcome switch
    {
        Outcome.Performed => 200,
        Outcome.IfNoneMatchFails when method is "GET" or "HEAD" => 304,
        _ => 412,
    };

    private static (string Name, string Value)[] Resolve((string Name, string Value)[] headers, string etag) =>
        [.. headers.Select(header => (header.Name, header.Value.Replace(Current, etag, StringComparison.Ordinal)))];

    private static async Task<T?> BodyAsync<T>(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<T>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web);

    /// <summary>
    /// The in-memory test server hands HEAD answers their body as written; Kestrel drops it, which
    /// <see cref="HeadRequestTests"/> checks on the wire. Here a HEAD answer is checked by its media type alone.
    /// </summary>
    private static async Task ShouldBeJsonUnlessHeadAsync(HttpResponseMessage response, string method, object expected)
    {
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        if (method != "HEAD")
        {
            (await response.Content.ReadAsStringAsync()).Should().Be(JsonSerializer.Serialize(expected, JsonSerializerOptions.Web));
        }
    }

    private static async Task<JsonElement?> ShouldBeProblemUnlessHeadAsync(HttpResponseMessage response, string method, HttpStatusCode status)
    {
        if (method == "HEAD")
        {
            response.StatusCode.Should().Be(status);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            return null;
        }

        return await response.ShouldBeProblemAsync(status);
    }

    /// <summary>The database holds what it held before the request: the same users, the user at the same version.</summary>
    private static async Task ShouldBeUnchangedAsync(List<UserBody> stored, long id, string? version)
    {
        (await StoredUsers.AllAsync()).Should().Equal(stored);
        (await StoredUsers.VersionAsync(id)).Should().Be(version, "nothing wrote the row");
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, (string Name, string Value)[] headers)
    {
        var json = method is "PATCH" or "POST" ? """{"name":"b"}""" : null;
        return Client.SendAsync(new HttpMethod(method), path, json, headers);
    }
}

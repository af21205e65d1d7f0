using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Authentication;

/// <summary>With a valid token the rate limit counts per subject (and issuer), not per client address.</summary>
public sealed class SubjectRateLimitTests : DatabaseTest
{
    private TestIssuer _issuer = null!;

    [OneTimeSetUp]
    public async Task StartIssuer() => _issuer = await TestIssuer.StartAsync();

    [OneTimeTearDown]
    public ValueTask StopIssuer() => _issuer.DisposeAsync();

    [Test]
    public async Task Two_subjects_from_one_address_are_limited_separately()
    {
        await using var api = new ApiFactory(_issuer.Settings(("RateLimiting:PermitsPerSecond", "1"), ("RateLimiting:Burst", "2")));
        using var client = api.CreateClient();
        // Warm up on an unlimited path: readiness fetches the issuer's keys.
        (await client.GetAsync("/healthz/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        var alice = _issuer.Token(subject: "alice");
        var bob = _issuer.Token(subject: "bob");

        (await client.SendWithTokenAsync(HttpMethod.Get, "/users/1", alice)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.SendWithTokenAsync(HttpMethod.Get, "/users/1", alice)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.SendWithTokenAsync(HttpMethod.Get, "/users/1", alice)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);

        (await client.SendWithTokenAsync(HttpMethod.Get, "/users/1", bob)).StatusCode.Should().Be(HttpStatusCode.NotFound, "bob has a bucket of his own");
    }

    [Test]
    public async Task One_subject_from_two_addresses_shares_one_bucket()
    {
        // Real sockets and a trusted proxy, so that each request has the client address the proxy forwards.
        await using var api = new ApiFactory(
            _issuer.Settings(("RateLimiting:PermitsPerSecond", "1"), ("RateLimiting:Burst", "1"), ("ForwardedHeaders:KnownProxies:0", "127.0.0.1")),
            useKestrel: true);
        using var client = api.CreateClient();
        (await client.GetAsync("/healthz/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        var alice = _issuer.Token(subject: "alice");

        (await SendAsync(client, alice, "203.0.113.1")).Should().Be(HttpStatusCode.NotFound);
        (await SendAsync(client, alice, "203.0.113.2")).Should().Be(HttpStatusCode.TooManyRequests, "another address does not give alice another bucket");
        (await SendAsync(client, token: null, "203.0.113.2")).Should().Be(HttpStatusCode.Unauthorized, "the address itself was not limited");
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string? token, string address)
    {
        using var request = ApiRequests.Request(HttpMethod.Get, "/users/1", null, null,
            token is null ? [("X-Forwarded-For", address)] : [("X-Forwarded-For", address), ("Authorization", "Bearer " + token)]);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}

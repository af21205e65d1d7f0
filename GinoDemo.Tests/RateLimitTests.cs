using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests;

/// <summary>A token bucket per client: 429 problem+json with Retry-After; probes exempt; switchable off.</summary>
public sealed class RateLimitTests : DatabaseTest
{
    [Test]
    public async Task A_client_over_its_limit_gets_429_with_Retry_After()
    {
        const int PermitsPerSecond = 1;
        await using var api = new ApiFactory(new Dictionary<string, string?>
        {
            ["RateLimiting:PermitsPerSecond"] = PermitsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimiting:Burst"] = "2",
        });
        using var client = api.CreateClient();
        // A cold API can take longer than the second in which a token comes back: warm it on an unlimited path.
        (await client.GetAsync("/healthz/ready")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await client.GetAsync("/users/1")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/users/1")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var limited = await client.GetAsync("/users/1");

        var problem = await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        problem.GetProperty("detail").GetString().Should().Contain("1 per second").And.Contain("bursts of up to 2");
        // Retry-After is whole seconds (RFC 9110, section 10.2.3), at least 1; and at this rate a token comes back
        // within 1 / PermitsPerSecond seconds, so a client told to wait longer would wait for nothing.
        var longestWait = TimeSpan.FromSeconds(Math.Ceiling(1.0 / PermitsPerSecond));
        limited.Headers.RetryAfter.Should().NotBeNull();
        limited.Headers.RetryAfter!.Delta.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1)).And.BeLessThanOrEqualTo(longestWait);
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync("/healthz/live")).StatusCode.Should().Be(HttpStatusCode.OK, "probes are never limited");
            (await client.GetAsync("/healthz/ready")).StatusCode.Should().Be(HttpStatusCode.OK, "probes are never limited");
        }
    }

    [Test]
    public async Task Rate_limiting_can_be_switched_off()
    {
        await using var api = new ApiFactory(new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "false",
            ["RateLimiting:PermitsPerSecond"] = "1",
            ["RateLimiting:Burst"] = "1",
        });
        using var client = api.CreateClient();

        for (var i = 0; i < 10; i++)
        {
            (await client.GetAsync("/users/1")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }
    }

    [Test]
    public async Task Forwarded_headers_count_only_from_configured_proxies()
    {
        // Real sockets: the limit is per client address, and a forwarded address is believed only from a known proxy.
        var limits = new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "1" };
        await using var untrusting = new ApiFactory(limits, useKestrel: true);
        await using var trusting = new ApiFactory(new Dictionary<string, string?>(limits) { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" }, useKestrel: true);
        foreach (var api in new[] { untrusting, trusting })
        {
            using var warm = api.CreateClient();
            (await warm.GetAsync("/healthz/ready")).StatusCode.Should().Be(HttpStatusCode.OK, "warmed up on an unlimited path");
        }

        (await SendAsForwardedAsync(untrusting, "203.0.113.1")).Should().Be(HttpStatusCode.NotFound);
        (await SendAsForwardedAsync(untrusting, "203.0.113.2")).Should().Be(HttpStatusCode.TooManyRequests, "a client cannot escape its limit by claiming another address");
        (await SendAsForwardedAsync(trusting, "203.0.113.1")).Should().Be(HttpStatusCode.NotFound);
        (await SendAsForwardedAsync(trusting, "203.0.113.2")).Should().Be(HttpStatusCode.NotFound, "behind a known proxy each forwarded client has its own limit");
        (await SendAsForwardedAsync(trusting, "203.0.113.2")).Should().Be(HttpStatusCode.TooManyRequests);
    }

    [Test]
    public async Task Behind_a_known_proxy_a_client_cannot_escape_its_limit_by_prepending_addresses()
    {
        // A proxy such as HAProxy (option forwardfor) appends the peer it saw to what the client sent: only that last
        // address, the one the known proxy vouches for, is the client (ASP.NET Core's ForwardLimit of 1).
        var settings = new Dictionary<string, string?>
        {
            ["RateLimiting:PermitsPerSecond"] = "1",
            ["RateLimiting:Burst"] = "1",
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        };
        await using var api = new ApiFactory(settings, useKestrel: true);
        using (var warm = api.CreateClient())
        {
            (await warm.GetAsync("/healthz/ready")).StatusCode.Should().Be(HttpStatusCode.OK, "warmed up on an unlimited path");
        }

        (await SendAsForwardedAsync(api, "198.51.100.1, 203.0.113.9")).Should().Be(HttpStatusCode.NotFound);
        (await SendAsForwardedAsync(api, "198.51.100.2, 203.0.113.9")).Should().Be(HttpStatusCode.TooManyRequests, "the same client behind the proxy");
        (await SendAsForwardedAsync(api, "198.51.100.1, 203.0.113.10")).Should().Be(HttpStatusCode.NotFound, "another client has its own bucket");
    }

    private static async Task<HttpStatusCode> SendAsForwardedAsync(ApiFactory api, string client)
    {
        using var http = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users/1");
        request.Headers.Add("X-Forwarded-For", client);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}

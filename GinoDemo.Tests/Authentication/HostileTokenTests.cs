using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Authentication;

/// <summary>Authorization headers built to hurt: each gets a 4xx problem, never a 5xx.</summary>
public sealed class HostileTokenTests : AuthenticatedApiTest
{
    [Test]
    public async Task A_100_KB_token_is_refused_by_the_header_limit_before_the_handler_reads_it()
    {
        var huge = Issuer.Token() + new string('A', 100 * 1024);

        using var response = await Client.SendWithTokenAsync(HttpMethod.Get, "/users", huge);

        // Server:MaxRequestHeadersTotalSize, 32 KiB by default (README, "Server settings").
        await response.ShouldBeProblemAsync(HttpStatusCode.RequestHeaderFieldsTooLarge);
    }

    [Test]
    public async Task A_20_KB_token_within_the_header_limit_reaches_the_handler_and_is_401_invalid_token()
    {
        var parts = Issuer.Token().Split('.');

        using var response = await Client.SendWithTokenAsync(HttpMethod.Get, "/users", $"{parts[0]}.{parts[1]}{new string('A', 20 * 1024)}.{parts[2]}");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Challenge().Should().StartWith("Bearer error=\"invalid_token\"");
    }

    [Test]
    public async Task A_token_of_malformed_base64_is_401_invalid_token()
    {
        var parts = Issuer.Token().Split('.');

        using var response = await Client.SendWithTokenAsync(HttpMethod.Get, "/users", $"{parts[0]}.%%%***!!!.{parts[2]}");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Challenge().Should().StartWith("Bearer error=\"invalid_token\"");
    }

    [Test]
    public async Task A_header_of_many_tokens_is_401_invalid_token()
    {
        var valid = Issuer.Token();
        using var request = ApiRequests.Request(HttpMethod.Get, "/users", null, null,
            ("Authorization", string.Join(", ", Enumerable.Repeat("Bearer " + valid, 20))));

        using var response = await Client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Challenge().Should().StartWith("Bearer error=\"invalid_token\"");
    }

    [Test]
    public async Task Two_Authorization_headers_are_401_even_if_both_are_valid()
    {
        var valid = Issuer.Token();
        using var request = ApiRequests.Request(HttpMethod.Get, "/users", null, null, ("Authorization", "Bearer " + valid), ("Authorization", "Bearer " + valid));

        using var response = await Client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}

using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Authentication;

/// <summary>Authorization headers built to hurt: each gets a 4xx problem, never a 5xx.</summary>
public sealed class HostileTokenTests : AuthenticatedApiTest
{
    [Test]
    public async Task A_100_KB_token_is_refused_with_a_4xx()
    {
        var huge = Issuer.Token() + new string('A', 100 * 1024);

        using var response = await Client.SendWithTokenAsync(HttpMethod.Get, "/users", huge);

        ((int)response.StatusCode).Should().BeInRange(400, 499);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
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

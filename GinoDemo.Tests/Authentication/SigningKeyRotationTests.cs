using System.Diagnostics;
using System.Net;
using GinoDemo.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace GinoDemo.Tests.Authentication;

/// <summary>The issuer publishes a new key: the handler fetches it when a token names it, and the old key's tokens stay valid.</summary>
public sealed class SigningKeyRotationTests : AuthenticatedApiTest
{
    [Test]
    public async Task Tokens_signed_with_a_newly_published_key_are_accepted_and_old_ones_still_are()
    {
        var old = Issuer.Token(subject: "before");
        (await Client.SendWithTokenAsync(HttpMethod.Get, "/users", old)).StatusCode.Should().Be(HttpStatusCode.OK);
        var fetchesBefore = Issuer.KeySetRequests;

        var newKey = TestIssuer.NewKey();
        Issuer.Publish(newKey);
        var rotated = Issuer.Token(subject: "after", signing: new SigningCredentials(newKey, SecurityAlgorithms.RsaSha256));

        // The handler asks for a refresh on an unknown key id; it may finish after the request that asked for it.
        var status = HttpStatusCode.Unauthorized;
        var waited = Stopwatch.StartNew();
        while (status == HttpStatusCode.Unauthorized && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            using var response = await Client.SendWithTokenAsync(HttpMethod.Get, "/users", rotated);
            status = response.StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                await Task.Delay(200);
            }
        }

        status.Should().Be(HttpStatusCode.OK);
        Issuer.KeySetRequests.Should().BeGreaterThan(fetchesBefore, "the new key came from a new fetch of the JWKS");
        (await Client.SendWithTokenAsync(HttpMethod.Get, "/users", old)).StatusCode.Should().Be(HttpStatusCode.OK, "the old key is still published");
    }
}

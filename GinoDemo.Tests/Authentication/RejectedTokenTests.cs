using System.Net;
using System.Text;
using GinoDemo.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace GinoDemo.Tests.Authentication;

/// <summary>Each kind of token the API must refuse: 401 problem+json, <c>WWW-Authenticate: Bearer error="invalid_token"</c> (RFC 6750 section 3.1).</summary>
public sealed class RejectedTokenTests : AuthenticatedApiTest
{
    [Test]
    public async Task A_valid_token_is_accepted() => (await ReadWithAsync(Issuer.Token())).StatusCode.Should().Be(HttpStatusCode.OK);

    [Test]
    public Task An_expired_token_is_refused() => ShouldBeRefusedAsync(
        Issuer.Token(change: token => (token.NotBefore, token.Expires) = (DateTime.UtcNow.AddMinutes(-20), DateTime.UtcNow.AddMinutes(-2))),
        "The token has expired.");

    [Test]
    public Task A_token_not_yet_valid_is_refused() => ShouldBeRefusedAsync(
        Issuer.Token(change: token => (token.NotBefore, token.Expires) = (DateTime.UtcNow.AddMinutes(2), DateTime.UtcNow.AddMinutes(20))),
        "The token is not valid yet.");

    [Test]
    public Task A_token_from_another_issuer_is_refused() => ShouldBeRefusedAsync(
        Issuer.Token(change: token => token.Issuer = "https://issuer.example/other"),
        "The token was not issued by the configured issuer.");

    [Test]
    public Task A_token_for_another_audience_is_refused() => ShouldBeRefusedAsync(
        Issuer.Token(change: token => token.Audience = "api://another-api"),
        "The token is not meant for this API.");

    [Test]
    public Task A_token_whose_payload_was_changed_after_signing_is_refused()
    {
        var signed = Issuer.Token(subject: "alice", scope: "users.read").Split('.');
        var forged = Issuer.Token(subject: "mallory", scope: "users.read users.write").Split('.');
        return ShouldBeRefusedAsync($"{signed[0]}.{forged[1]}.{signed[2]}", "The token's signature is invalid.");
    }

    [Test]
    public Task An_unsigned_token_with_alg_none_is_refused()
    {
        // RFC 7519 section 6.1: an unsecured JWT, "alg": "none" and an empty signature.
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var valid = Issuer.Token().Split('.');
        return ShouldBeRefusedAsync($"{Part("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{valid[1]}.", "The token's signature is invalid.");
    }

    [Test]
    public Task A_token_signed_with_a_key_the_issuer_does_not_publish_is_refused() => ShouldBeRefusedAsync(
        Issuer.Token(signing: new SigningCredentials(TestIssuer.NewKey(), SecurityAlgorithms.RsaSha256)),
        "The token is signed with a key the issuer does not publish.");

    [Test]
    public Task An_HMAC_token_keyed_with_the_issuers_public_key_is_refused()
    {
        // Algorithm confusion: a verifier that took "alg" from the token would check HS256 with the public key it holds.
        var publicKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Issuer.SigningKey.Rsa.ExportSubjectPublicKeyInfoPem()))
        {
            KeyId = Issuer.SigningKey.KeyId,
        };
        return ShouldBeRefusedAsync(Issuer.Token(signing: new SigningCredentials(publicKey, SecurityAlgorithms.HmacSha256)),
            "The token's signature is invalid.");
    }

    [Test]
    public async Task A_token_in_the_query_string_is_not_read()
    {
        var token = Issuer.Token();

        using var response = await Client.GetAsync($"/users?access_token={token}");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Challenge().Should().Be("Bearer", "RFC 6750 section 3.1: no error code for a request that sent no credentials");
    }

    private async Task<HttpResponseMessage> ReadWithAsync(string token) => await Client.SendWithTokenAsync(HttpMethod.Get, "/users", token);

    private async Task ShouldBeRefusedAsync(string token, string description)
    {
        using var response = await ReadWithAsync(token);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Challenge().Should().Be($"Bearer error=\"invalid_token\", error_description=\"{description}\"");
        problem.GetRawText().Should().NotContain(token.Split('.')[1], "the token is never echoed");
    }
}

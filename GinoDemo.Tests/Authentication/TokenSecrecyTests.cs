using GinoDemo.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace GinoDemo.Tests.Authentication;

/// <summary>Tokens, accepted or refused, never reach the logs, even with the authentication handler's own logs at Trace.</summary>
public sealed class TokenSecrecyTests : AuthenticatedApiTest
{
    protected override (string Key, string Value)[] Settings => [("Logging:LogLevel:Microsoft.AspNetCore.Authentication", "Trace"),
        ("Logging:LogLevel:Microsoft.AspNetCore.Authorization", "Trace"), ("Logging:LogLevel:GinoDemo", "Trace")];

    [Test]
    public async Task No_token_appears_in_the_logs()
    {
        string[] tokens =
        [
            Issuer.Token(),
            Issuer.Token(scope: "users.read"),
            Issuer.Token(change: token => (token.NotBefore, token.Expires) = (DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-1))),
            Issuer.Token(change: token => token.Audience = "api://another-api"),
            Issuer.Token(signing: new SigningCredentials(TestIssuer.NewKey(), SecurityAlgorithms.RsaSha256)),
        ];
        foreach (var token in tokens)
        {
            using var response = await Client.SendWithTokenAsync(HttpMethod.Post, "/users", token, """{"name":"fantix"}""");
            ((int)response.StatusCode).Should().BeOneOf(201, 401, 403);
            (await response.Content.ReadAsStringAsync()).Should().NotContain(token.Split('.')[2]);
        }

        Api.Logs.Messages.Should().Contain(message => message.Contains("Failed to validate the token", StringComparison.Ordinal),
            "the handler did log its refusals, so their text was checked");
        foreach (var token in tokens)
        {
            var (payload, signature) = (token.Split('.')[1], token.Split('.')[2]);
            Api.Logs.Messages.Should().NotContain(message => message.Contains(payload, StringComparison.Ordinal) || message.Contains(signature, StringComparison.Ordinal));
        }
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace GinoDemo.Tests.Authentication;

/// <summary>
/// With authentication on and <c>Auth:SwaggerClientId</c> set, Swagger UI signs in at the issuer as that public client
/// (authorization code with PKCE): the page holds the client id and scopes, never a secret, and its CSP lets it call the
/// issuer and nothing else.
/// </summary>
public sealed partial class SwaggerUiSignInTests : AuthenticatedApiTest
{
    protected override (string Key, string Value)[] Settings => [("Auth:SwaggerClientId", "gino-docs")];

    [Test]
    public async Task The_page_signs_in_as_the_public_client_with_PKCE_and_no_secret()
    {
        var page = await Client.GetStringAsync("/docs/index.html");

        using var settings = JsonDocument.Parse(SettingsBlock().Match(page).Groups[1].Value);
        settings.RootElement.GetProperty("oauth").GetRawText().Should().Be(
            """{"clientId":"gino-docs","appName":"GinoDemo","scopes":["users.read","users.write"],"usePkceWithAuthorizationCodeGrant":true}""");
        page.Should().NotContainAny("clientSecret", "client_secret");
    }

    [Test]
    public async Task The_pages_policy_allows_requests_to_the_issuer_and_the_app_only()
    {
        using var response = await Client.GetAsync("/docs/index.html");

        var issuerOrigin = new Uri(Issuer.Authority).GetLeftPart(UriPartial.Authority);
        response.Headers.GetValues("Content-Security-Policy").Single().Should().EndWith($"; connect-src 'self' {issuerOrigin}");
    }

    [GeneratedRegex("""<script id="swagger-ui-settings" type="application/json">(.*?)</script>""")]
    private static partial Regex SettingsBlock();
}

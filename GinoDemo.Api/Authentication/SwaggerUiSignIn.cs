namespace GinoDemo.Api.Authentication;

/// <summary>
/// The settings Swagger UI's <c>initOAuth</c> is given (swagger-ui, docs/usage/oauth2.md) to sign in at the issuer as a
/// public client: authorization code with PKCE (RFC 7636), so no client secret is ever put in the page.
/// </summary>
public sealed record SwaggerUiSignIn(string ClientId, string AppName, IReadOnlyList<string> Scopes, bool UsePkceWithAuthorizationCodeGrant);

using Microsoft.Extensions.Options;
using NSwag;
using NSwag.Generation;
using NSwag.Generation.Processors.Security;

namespace GinoDemo.Api.Authentication;

/// <summary>
/// The OpenAPI side of <see cref="BearerAuthOptions"/>, only when authentication is on: the document then describes
/// the service that runs (with it off, it names no scheme, as no operation needs one).
/// </summary>
public static class BearerOpenApiExtensions
{
    public const string BearerScheme = "bearer";
    public const string SignInScheme = "issuer";

    /// <summary>
    /// Two schemes, either of which an operation accepts: <c>bearer</c> (HTTP bearer, a token pasted in Swagger UI)
    /// and <c>issuer</c> (OpenID Connect discovery at the authority, whose authorization-code flow Swagger UI runs), plus
    /// each operation's scope, 401 and 403 (<see cref="BearerSecurityOperationProcessor"/>).
    /// </summary>
    public static void AddBearerSecurityIfConfigured(this OpenApiDocumentGeneratorSettings document, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(services);
        var settings = services.GetRequiredService<IOptions<BearerAuthOptions>>().Value;
        if (!settings.Enabled)
        {
            return;
        }

        document.DocumentProcessors.Add(new SecurityDefinitionAppender(BearerScheme, new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = $"An access token from {settings.Authority} for the audience '{settings.Audience}' (RFC 6750).",
        }));
        document.DocumentProcessors.Add(new SecurityDefinitionAppender(SignInScheme, new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.OpenIdConnect,
            OpenIdConnectUrl = settings.Authority.TrimEnd('/') + "/.well-known/openid-configuration",
            Description = "Sign in at the issuer (authorization code with PKCE, RFC 7636).",
        }));
        document.OperationProcessors.Add(new BearerSecurityOperationProcessor(settings));
    }

    /// <summary>
    /// What Swagger UI signs in with: the public client <see cref="BearerAuthOptions.SwaggerClientId"/> by authorization
    /// code with PKCE (no client secret in the page), when one is configured; null otherwise (a token can always be
    /// pasted while authentication is on; with it off there is nothing to sign in to).
    /// </summary>
    public static SwaggerUiSignIn? SwaggerUiSignInIfConfigured(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = services.GetRequiredService<IOptions<BearerAuthOptions>>().Value;
        return settings is { Enabled: true, SwaggerClientId.Length: > 0 }
            ? new SwaggerUiSignIn(settings.SwaggerClientId, "GinoDemo", [settings.ReadScope, settings.WriteScope], UsePkceWithAuthorizationCodeGrant: true)
            : null;
    }

    /// <summary>
    /// The issuer's origin (<c>https://login.example</c>) when authentication is on, else null: Swagger UI reads its
    /// discovery document and, after a sign-in, calls its token endpoint, so the docs page's CSP must allow it.
    /// </summary>
    public static string? IssuerOriginIfConfigured(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = services.GetRequiredService<IOptions<BearerAuthOptions>>().Value;
        return settings.Enabled ? new Uri(settings.Authority).GetLeftPart(UriPartial.Authority) : null;
    }
}

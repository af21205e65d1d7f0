using System.ComponentModel.DataAnnotations;
using GinoDemo.Api.Startup;

namespace GinoDemo.Api.Authentication;

/// <summary>
/// The <c>Auth</c> section: bearer tokens (RFC 6750) from one OpenID Connect issuer, validated by ASP.NET Core's JWT
/// bearer handler. Off while <see cref="Authority"/> is empty: the API then answers as the tutorial does, to anyone.
/// </summary>
public sealed class BearerAuthOptions : ISectionOptions, IValidatableObject
{
    public static string Section => "Auth";

    /// <summary>
    /// The issuer's URL (e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>): its discovery document is
    /// <c>{Authority}/.well-known/openid-configuration</c> (OpenID Connect Discovery 1.0, section 4), whose
    /// <c>issuer</c> every token's <c>iss</c> must equal and whose <c>jwks_uri</c> holds the signing keys. Empty: off.
    /// </summary>
    public string Authority { get; set; } = "";

    /// <summary>The <c>aud</c> a token must carry (RFC 7519 section 4.1.3): this API's identifier at the issuer.</summary>
    public string Audience { get; set; } = "";

    /// <summary>The scope (RFC 6749 section 3.3, in the token's <c>scope</c> or <c>scp</c> claim) that allows GET and HEAD.</summary>
    public string ReadScope { get; set; } = "users.read";

    /// <summary>The scope that allows POST, PATCH and DELETE (every method that is not safe, RFC 9110 section 9.2.1).</summary>
    public string WriteScope { get; set; } = "users.write";

    /// <summary>Optional: an application role (the token's <c>roles</c> claim, RFC 9068 section 7.2.1.1) that allows reads too, for client-credentials tokens.</summary>
    public string ReadRole { get; set; } = "";

    /// <summary>Optional: an application role that allows writes too.</summary>
    public string WriteRole { get; set; } = "";

    /// <summary>Reads need no token at all; writes still need the write scope.</summary>
    public bool AnonymousReads { get; set; }

    /// <summary>How far a token's <c>exp</c> and <c>nbf</c> may be off this server's clock.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The discovery document and keys must come over https. Only a loopback issuer in development may do without.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Optional: the public client (no secret) Swagger UI signs in with, by authorization code with PKCE (RFC 7636).</summary>
    public string SwaggerClientId { get; set; } = "";

    public bool Enabled => Authority.Length > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http")
            || authority.UserInfo.Length > 0 || authority.Query.Length > 0 || authority.Fragment.Length > 0)
        {
            yield return new ValidationResult(
                $"Auth:Authority: '{Authority}' is not an absolute https URL without credentials, query or fragment, such as https://login.example/tenant.",
                [nameof(Authority)]);
        }
        else if (authority.Scheme == "http" && RequireHttpsMetadata)
        {
            yield return new ValidationResult(
                $"Auth:Authority: '{Authority}' is http: keys fetched without TLS can be replaced on the way. Use https, or set Auth:RequireHttpsMetadata=false for a development issuer.",
                [nameof(Authority)]);
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            yield return new ValidationResult("Auth:Audience is required when Auth:Authority is set: tokens issued for another API must not be accepted.", [nameof(Audience)]);
        }

        foreach (var (name, value, required) in new[]
                 {
                     (nameof(ReadScope), ReadScope, true), (nameof(WriteScope), WriteScope, true),
                     (nameof(ReadRole), ReadRole, false), (nameof(WriteRole), WriteRole, false),
                 })
        {
            if ((required || value.Length > 0) && !IsScopeToken(value))
            {
                yield return new ValidationResult(
                    $"Auth:{name}: '{value}' is not one scope token (RFC 6749 section 3.3: printable ASCII without space, '\"' or '\\').", [name]);
            }
        }
    }

    /// <summary>RFC 6749 section 3.3: <c>scope-token = 1*( %x21 / %x23-5B / %x5D-7E )</c>.</summary>
    private static bool IsScopeToken(string value) =>
        value.Length > 0 && value.All(c => c is '\x21' or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E'));
}

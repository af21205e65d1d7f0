using GinoDemo.Api.Errors;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace GinoDemo.Api.Authentication;

/// <summary>
/// The 401 and 403 answers of RFC 6750 section 3, with a problem+json body. The descriptions are fixed texts chosen
/// by the kind of failure: never the token, its claims or the validator's message, which would echo what the client
/// sent (an <c>aud</c>, say) into a header.
/// </summary>
internal static class BearerChallenges
{
    /// <summary>
    /// <c>JwtBearerEvents.OnChallenge</c>: no token (or another scheme) gets a bare <c>Bearer</c> challenge, as
    /// section 3.1 says for a request without authentication; a token that failed gets <c>error="invalid_token"</c>.
    /// </summary>
    public static async Task WriteUnauthorizedAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        if (context.AuthenticateFailure is { } failure)
        {
            var description = Describe(failure);
            http.Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{description}\"";
            await ProblemResponses.WriteAsync(http, StatusCodes.Status401Unauthorized, $"The bearer token was refused: {description}");
        }
        else
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await ProblemResponses.WriteAsync(http, StatusCodes.Status401Unauthorized,
                "This request needs a bearer token from the configured issuer: send it as 'Authorization: Bearer <token>'.");
        }
    }

    /// <summary>A valid token without the scope: 403 with <c>error="insufficient_scope"</c> and the scope it needs (section 3.1).</summary>
    public static Task WriteInsufficientScopeAsync(HttpContext context, string scope)
    {
        context.Response.Headers.WWWAuthenticate =
            $"Bearer error=\"insufficient_scope\", error_description=\"The token lacks the scope this request needs.\", scope=\"{scope}\"";
        return ProblemResponses.WriteAsync(context, StatusCodes.Status403Forbidden, $"The token is valid but lacks the scope '{scope}' this request needs.");
    }

    private static string Describe(Exception failure) => (failure is AggregateException { InnerExceptions: [var first, ..] } ? first : failure) switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidIssuerException => "The token was not issued by the configured issuer.",
        SecurityTokenInvalidAudienceException => "The token is not meant for this API.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        SecurityTokenSignatureKeyNotFoundException => "The token is signed with a key the issuer does not publish.",
        SecurityTokenInvalidSignatureException => "The token's signature is invalid.",
        SecurityTokenInvalidTypeException => "The token's type is not an access token type.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        _ => "The token is malformed or invalid.",
    };
}

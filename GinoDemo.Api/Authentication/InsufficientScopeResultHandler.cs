using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Authentication;

/// <summary>
/// Answers an authenticated request that lacks the scope itself (403, <see cref="BearerChallenges.WriteInsufficientScopeAsync"/>),
/// since only the policy knows which scope was missing; everything else goes to ASP.NET Core's own handler (the
/// challenge of a request without a valid token ends in the JWT bearer handler's <c>OnChallenge</c>).
/// </summary>
internal sealed class InsufficientScopeResultHandler(IOptions<BearerAuthOptions> options) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault() is { } missing)
        {
            return BearerChallenges.WriteInsufficientScopeAsync(context, missing.Write ? options.Value.WriteScope : options.Value.ReadScope);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

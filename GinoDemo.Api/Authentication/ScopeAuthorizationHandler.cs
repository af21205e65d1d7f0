using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Authentication;

/// <summary>
/// Grants a <see cref="ScopeRequirement"/> when the token's scopes hold the configured scope: <c>scope</c> is a
/// space-separated string (RFC 8693 section 4.2, RFC 9068 section 2.2.3), <c>scp</c> is Microsoft Entra ID's
/// (a string, or an array, which becomes one claim per entry); or when its <c>roles</c> hold the configured role.
/// </summary>
internal sealed class ScopeAuthorizationHandler(IOptions<BearerAuthOptions> options) : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var settings = options.Value;
        var (scope, role) = requirement.Write ? (settings.WriteScope, settings.WriteRole) : (settings.ReadScope, settings.ReadRole);
        if (Scopes(context.User).Contains(scope, StringComparer.Ordinal)
            || (role.Length > 0 && context.User.FindAll("roles").Any(claim => claim.Value == role)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    private static IEnumerable<string> Scopes(ClaimsPrincipal user) =>
        user.Claims.Where(claim => claim.Type is "scope" or "scp")
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Authentication;

/// <summary>
/// Puts the read or write policy on every controller action by its HTTP methods, so that no controller carries
/// authorization attributes and a new action is protected without anyone remembering to: safe methods (RFC 9110
/// section 9.2.1: GET, HEAD, OPTIONS, TRACE) need the read scope, unless <see cref="BearerAuthOptions.AnonymousReads"/>;
/// any other method, or an action that answers every method, needs the write scope. Nothing when authentication is off.
/// </summary>
internal sealed class ScopePolicyConvention(IOptions<BearerAuthOptions> options) : IActionModelConvention
{
    private static readonly HashSet<string> SafeMethods = new(["GET", "HEAD", "OPTIONS", "TRACE"], StringComparer.OrdinalIgnoreCase);

    public void Apply(ActionModel action)
    {
        BearerAuthOptions settings;
        try
        {
            settings = options.Value;
        }
        catch (OptionsValidationException)
        {
            // Controllers are mapped before the start-up check, which reports these settings and serves nothing.
            return;
        }

        if (!settings.Enabled)
        {
            return;
        }

        foreach (var selector in action.Selectors)
        {
            var methods = selector.EndpointMetadata.OfType<IHttpMethodMetadata>().SelectMany(metadata => metadata.HttpMethods).ToList();
            var reads = methods.Count > 0 && methods.All(SafeMethods.Contains);
            if (reads && settings.AnonymousReads)
            {
                continue;
            }

            selector.EndpointMetadata.Add(new AuthorizeAttribute(reads ? AuthenticationExtensions.ReadPolicy : AuthenticationExtensions.WritePolicy));
        }
    }
}

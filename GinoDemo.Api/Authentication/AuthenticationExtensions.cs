using System.Security.Claims;
using GinoDemo.Api.Health;
using GinoDemo.Api.Startup;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Authentication;

public static class AuthenticationExtensions
{
    public const string ReadPolicy = "read";
    public const string WritePolicy = "write";

    /// <summary>
    /// Bearer tokens (RFC 6750) checked by ASP.NET Core's JWT bearer handler against the issuer of
    /// <see cref="BearerAuthOptions"/>, and the read and write policies <see cref="ScopePolicyConvention"/> puts on the
    /// actions. Everything is registered always but decided from the validated options when first used, at start:
    /// with no <c>Auth:Authority</c> there is no default scheme and no policy on any endpoint, so
    /// <c>UseAuthentication</c> and <c>UseAuthorization</c> pass every request through as before.
    /// </summary>
    public static WebApplicationBuilder AddBearerAuthenticationIfConfigured(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<BearerAuthOptions>();
        // Since ASP.NET Core 7 a lone scheme is the default one by itself: the JWT handler would then read every
        // Authorization header even with authentication off. Its default is set below, only when it is on.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication().AddJwtBearer();
        services.AddOptions<AuthenticationOptions>().Configure<IOptions<BearerAuthOptions>>((authentication, settings) =>
        {
            if (settings.Value.Enabled)
            {
                authentication.DefaultScheme = JwtBearerDefaults.AuthenticationScheme;
            }
        });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<BearerAuthOptions>>((jwt, settings) => ConfigureJwtBearer(jwt, settings.Value));
        services.AddAuthorizationBuilder()
            .AddPolicy(ReadPolicy, policy => policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(Write: false)))
            .AddPolicy(WritePolicy, policy => policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(Write: true)));
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, InsufficientScopeResultHandler>();
        services.AddSingleton<ScopePolicyConvention>();
        services.AddOptions<MvcOptions>().Configure<ScopePolicyConvention>((mvc, convention) => mvc.Conventions.Add(convention));
        services.AddSingleton<IssuerSigningKeysCheck>();
        // Read when the probes are mapped, before the settings are checked: the raw key, not the validated options.
        services.AddOptions<HealthCheckServiceOptions>().Configure<IConfiguration>((health, configuration) =>
        {
            if (!string.IsNullOrEmpty(configuration[$"{BearerAuthOptions.Section}:{nameof(BearerAuthOptions.Authority)}"]))
            {
                health.Registrations.Add(new HealthCheckRegistration("issuer", services => services.GetRequiredService<IssuerSigningKeysCheck>(),
                    HealthStatus.Unhealthy, [HealthProbeExtensions.ReadyTag], TimeSpan.FromSeconds(5)));
            }
        });
        return builder;
    }

    /// <summary>
    /// The rate limit's partition of an authenticated request: its issuer and subject (<c>iss</c>, <c>sub</c>,
    /// RFC 7519 section 4.1.2: unique within the issuer). Null for a request without a valid token.
    /// </summary>
    public static string? AuthenticatedSubject(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true && user.FindFirst("sub")?.Value is { Length: > 0 } subject
            ? $"{user.FindFirst("iss")?.Value} {subject}"
            : null;
    }

    private static void ConfigureJwtBearer(JwtBearerOptions jwt, BearerAuthOptions settings)
    {
        if (!settings.Enabled)
        {
            return;
        }

        jwt.Authority = settings.Authority;
        jwt.Audience = settings.Audience;
        jwt.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        // Claims keep their JWT names (sub, scope, scp, roles) instead of being renamed to WS-* URIs.
        jwt.MapInboundClaims = false;
        // The handler reads the token from the Authorization header only (RFC 6750 section 2.1), never from the query
        // string, where proxies and access logs keep it (section 2.3); nor is it kept once checked.
        jwt.SaveToken = false;
        var validation = jwt.TokenValidationParameters;
        validation.ClockSkew = settings.ClockSkew;
        // Asymmetric signatures only (RFC 7518 section 3.1): an HMAC token "signed" with the public key cannot pass
        // for one signed by the issuer, and "none" never does.
        validation.ValidAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];
        // RFC 9068 access tokens are "at+jwt"; Entra ID, Auth0 and Keycloak type theirs "JWT".
        validation.ValidTypes = ["at+jwt", "JWT"];
        validation.RequireExpirationTime = true;
        validation.NameClaimType = "sub";
        validation.RoleClaimType = "roles";
        jwt.Events = new JwtBearerEvents { OnChallenge = BearerChallenges.WriteUnauthorizedAsync };
    }
}

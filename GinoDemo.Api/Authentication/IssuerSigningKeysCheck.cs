using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Authentication;

/// <summary>
/// Ready when the JWT bearer handler has the issuer's signing keys: it asks the handler's own configuration manager,
/// which fetches the discovery document and JWKS the first time and then keeps the last good copy (refreshed every
/// 12 hours, and at most every 5 minutes on a token signed with an unknown key). So an issuer that cannot be reached
/// at start fails it; one that goes away later does not, since tokens are still checked against the keys held.
/// </summary>
internal sealed partial class IssuerSigningKeysCheck(IOptionsMonitor<JwtBearerOptions> jwt, ILogger<IssuerSigningKeysCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var manager = jwt.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager;
        try
        {
            var configuration = manager is null ? null : await manager.GetConfigurationAsync(cancellationToken);
            if (configuration is { SigningKeys.Count: > 0 })
            {
                return HealthCheckResult.Healthy($"{configuration.SigningKeys.Count} signing key(s) held.");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The reason names the issuer's address: it goes to the log, not to whoever asks.
            LogUnavailable(logger, e.Message);
        }

        return HealthCheckResult.Unhealthy("the issuer's signing keys cannot be fetched; the log has the reason.");
    }

    [LoggerMessage(LogLevel.Warning, "Not ready: the issuer's signing keys cannot be fetched ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}

using GinoDemo.Api.Authentication;
using GinoDemo.Api.Edge;
using GinoDemo.Api.Errors;
using GinoDemo.Api.Health;
using GinoDemo.Api.Idempotency;
using GinoDemo.Api.OpenApi;
using GinoDemo.Api.Standby;
using GinoDemo.Api.Startup;
using GinoDemo.Api.Validation;

// The container's health check needs none of the app: answer it before building anything.
if (args is ["healthcheck", ..])
{
    return await HealthCheckCommand.RunAsync(args);
}

// The tutorial's get_app(): one line per concern, ASP.NET Core's own or an extension from the folder named after it.
var builder = WebApplication.CreateBuilder(args);
builder.UseSingleAppSettingsAndDotEnv();
builder.UseDefaultAddressUnlessConfigured();
builder.AddJsonLogsAndOpenTelemetry();
builder.AddGracefulShutdown();
builder.AddServerLimits();
builder.AddRequestTimeout();
builder.AddForwardedHeadersFromTrustedProxies();
builder.AddCorsForAllowedOrigins();
builder.AddRateLimitPerClient();
builder.AddBearerAuthenticationIfConfigured();
builder.AddUsersDatabase();
builder.AddStandbyReads();
builder.AddDatabaseReadinessCheck();
builder.AddProblemDetailsForErrors();
builder.AddControllersWithStrictInput();
builder.AddIdempotencyKeys();
builder.AddOpenApiDocs();

var app = builder.Build();
// Forwarded headers first, so that everything after sees the client's address and scheme.
app.UseForwardedHeaders();
app.UseSecurityHeaders();
app.UseProblemDetailsForErrors();
app.UseUrlAndHeaderLimits();
app.UseRouting();
// After routing, so that endpoints can opt out (the health probes are never rate limited).
app.UseCors();
// Authentication before the rate limiter, which counts per token subject; authorization after, so refused requests count too.
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseRequestTimeouts();
app.UseOpenApiDocs();
app.MapHealthProbes();
app.MapControllers();

// `migrate` is the deployment's migration step: same settings and retry, then exit.
return args is ["migrate", ..] ? await MigrateCommand.RunAsync(app) : await ServeCommand.RunAsync(app);

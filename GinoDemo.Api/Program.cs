using GinoDemo.Api.Hosting;

// The container's health check needs none of the app: answer it before building anything.
if (args is ["healthcheck", ..])
{
    return await HealthProbe.RunAsync(args);
}

// The tutorial's get_app(): each concern is one extension in Hosting/.
var builder = WebApplication.CreateBuilder(args);
builder.AddGinoConfiguration();
builder.AddDefaultAddress();
builder.AddObservability();
builder.AddServerLimits();
builder.AddEdgeProtection();
builder.AddDatabase();
builder.AddHealth();
builder.AddApi();
builder.AddIdempotencyKeys();
builder.AddOpenApiDocs();

var app = builder.Build();
app.UseForwardedHeadersAndSecurityHeaders();
app.UseApi();
app.UseServerLimits();
app.UseRouting();
app.UseRequestPolicies();
app.MapOpenApiDocs();
app.MapHealth();
app.MapControllers();

// `migrate` is the deployment's migration step: same settings and retry, then exit.
return args is ["migrate", ..] ? await app.MigrateDatabaseAsync() : await app.RunWithDatabaseAsync();

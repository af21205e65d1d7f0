// The benchmark's ablation host (bench/run.sh --ablate): GinoDemo.Api composed from the product's own extensions, line
// for line as GinoDemo.Api/Program.cs, with the layers named in BENCH_ABLATE (comma-separated; "none" for the full
// API, "all" for every layer below) left out or replaced by a no-op. The switches live here, not in the product:
// the product has no setting that turns any of these off. Not part of the product.
using System.Globalization;
using GinoDemo.Api.Authentication;
using GinoDemo.Api.Edge;
using GinoDemo.Api.Errors;
using GinoDemo.Api.Health;
using GinoDemo.Api.Idempotency;
using GinoDemo.Api.OpenApi;
using GinoDemo.Api.Standby;
using GinoDemo.Api.Startup;
using GinoDemo.Api.Users;
using GinoDemo.Api.Validation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

string[] layers =
[
    "rate-limiter", "request-timeouts", "security-headers", "forwarded-headers", "logging-scopes", "connection-per-request",
    "api-controller-filters", "problem-details", "kestrel-limits", "cors", "openapi", "opentelemetry",
];
var named = (Environment.GetEnvironmentVariable("BENCH_ABLATE") ?? "none").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
var ablated = named is ["all"] ? [.. layers] : named.Where(layer => layer != "none").ToHashSet();
if (ablated.Except(layers).ToList() is [var unknown, ..])
{
    await Console.Error.WriteLineAsync($"BENCH_ABLATE: '{unknown}' is not a layer; choose from none, all, {string.Join(", ", layers)}.");
    return 2;
}

bool On(string layer) => !ablated.Contains(layer);

var builder = WebApplication.CreateBuilder(args);
builder.UseSingleAppSettingsAndDotEnv();
if (!On("connection-per-request"))
{
    // Last source, so it beats appsettings.json, .env and the environment.
    builder.Configuration.AddInMemoryCollection([new("DB_USE_CONNECTION_FOR_REQUEST", "false")]);
}

builder.UseDefaultAddressUnlessConfigured();
builder.AddJsonLogsAndOpenTelemetry();
if (!On("logging-scopes"))
{
    // ASP.NET Core's hosting layer opens a logging scope per request (request id, path, trace id) whenever its logger
    // is enabled at all: with it off, no scope is pushed.
    builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
}

if (!On("opentelemetry"))
{
    // Without OTEL_EXPORTER_OTLP_ENDPOINT the product registers nothing of OpenTelemetry: this removes whatever is there.
    foreach (var service in builder.Services.Where(service => service.ServiceType.Namespace?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true).ToList())
    {
        builder.Services.Remove(service);
    }
}

builder.AddGracefulShutdown();
builder.AddServerLimits();
if (!On("kestrel-limits"))
{
    // Kestrel's own defaults instead of the Kestrel:Limits section (the URL and header budget middleware is left out below).
    builder.Services.PostConfigure<KestrelServerOptions>(options =>
    {
        var defaults = new KestrelServerOptions().Limits;
        var limits = options.Limits;
        limits.MaxRequestBodySize = defaults.MaxRequestBodySize;
        limits.MaxRequestHeadersTotalSize = defaults.MaxRequestHeadersTotalSize;
        limits.MaxRequestHeaderCount = defaults.MaxRequestHeaderCount;
        limits.MaxRequestLineSize = defaults.MaxRequestLineSize;
        limits.MaxConcurrentConnections = defaults.MaxConcurrentConnections;
        limits.MaxConcurrentUpgradedConnections = defaults.MaxConcurrentUpgradedConnections;
        limits.KeepAliveTimeout = defaults.KeepAliveTimeout;
        limits.RequestHeadersTimeout = defaults.RequestHeadersTimeout;
    });
}

if (On("request-timeouts"))
{
    builder.AddRequestTimeout();
}

if (On("forwarded-headers"))
{
    builder.AddForwardedHeadersFromTrustedProxies();
}

if (On("cors"))
{
    builder.AddCorsForAllowedOrigins();
}

if (On("rate-limiter"))
{
    builder.AddRateLimitPerClient();
}

builder.AddBearerAuthenticationIfConfigured();
builder.AddUsersDatabase();
builder.AddStandbyReads();
builder.AddDatabaseReadinessCheck();
if (On("problem-details"))
{
    builder.AddProblemDetailsForErrors();
}

builder.AddControllersWithStrictInput();
// The controllers live in GinoDemo.Api, not in this entry assembly.
builder.Services.AddControllers().ConfigureApplicationPartManager(parts =>
{
    if (!parts.ApplicationParts.Any(part => part.Name == typeof(UsersController).Assembly.GetName().Name))
    {
        parts.ApplicationParts.Add(new Microsoft.AspNetCore.Mvc.ApplicationParts.AssemblyPart(typeof(UsersController).Assembly));
    }
});
if (!On("api-controller-filters"))
{
    // The two filters [ApiController] adds: the automatic 400 on an invalid model, and problem details for client errors.
    builder.Services.PostConfigure<ApiBehaviorOptions>(options =>
    {
        options.SuppressModelStateInvalidFilter = true;
        options.SuppressMapClientErrors = true;
    });
}

builder.AddIdempotencyKeys();
if (On("openapi"))
{
    builder.AddOpenApiDocs();
}

var app = builder.Build();
if (On("forwarded-headers"))
{
    app.UseForwardedHeaders();
}

if (On("security-headers"))
{
    app.UseSecurityHeaders();
}

if (On("problem-details"))
{
    app.UseProblemDetailsForErrors();
}

if (On("kestrel-limits"))
{
    app.UseUrlAndHeaderLimits();
}

app.UseRouting();
if (On("cors"))
{
    app.UseCors();
}

app.UseAuthentication();
if (On("rate-limiter"))
{
    app.UseRateLimiter();
}

app.UseAuthorization();
if (On("request-timeouts"))
{
    app.UseRequestTimeouts();
}

if (On("openapi"))
{
    app.UseOpenApiDocs();
}

app.MapHealthProbes();
app.MapControllers();
// The bytes this process has allocated so far: the benchmark reads it before and after a point (allocations per request).
app.MapGet("/_bench/allocated", () => GC.GetTotalAllocatedBytes(precise: false).ToString(CultureInfo.InvariantCulture));

return await ServeCommand.RunAsync(app);

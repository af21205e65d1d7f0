using System.Text.Json;
using GinoDemo.Api.Errors;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GinoDemo.Api.Health;

/// <summary>
/// <c>/healthz/live</c>: the process answers (never touches the database, so a database outage does not get the
/// API restarted). <c>/healthz/ready</c>: the database answers and its schema is at this build's latest migration.
/// </summary>
public static class HealthProbeExtensions
{
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";
    internal const string ReadyTag = "ready";
    private static readonly HttpMethodMetadata ReadMethods = new([HttpMethods.Get, HttpMethods.Head]);

    public static WebApplicationBuilder AddDatabaseReadinessCheck(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DatabaseReadinessCheck>();
        builder.Services.AddSingleton<PreparedStatementAlarm>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadinessCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>
    /// Probes are exempt from the rate limit: an orchestrator polling them must never see 429. They answer GET and HEAD
    /// (RFC 9110 section 9.3.2: the same status and headers without the body, what uptime monitors send); MapHealthChecks
    /// alone would answer every method, so any other is a 405 whose Allow says so.
    /// </summary>
    public static WebApplication MapHealthProbes(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithMetadata(ReadMethods)
            .DisableRateLimiting();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .WithMetadata(ReadMethods)
            .DisableRateLimiting();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var checks = report.Entries.ToDictionary(
            entry => entry.Key,
            entry => new CheckResult(entry.Value.Status.ToString(), entry.Value.Description, Math.Round(entry.Value.Duration.TotalMilliseconds, 1)));
        if (report.Status == HealthStatus.Unhealthy)
        {
            var failures = report.Entries.Where(entry => entry.Value.Status == HealthStatus.Unhealthy)
                .Select(entry => $"{entry.Key}: {entry.Value.Description}");
            return ProblemResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                "Not ready. " + string.Join("; ", failures), new Dictionary<string, object?> { ["checks"] = checks });
        }

        return context.Response.WriteAsJsonAsync(new HealthResponse(report.Status.ToString(), checks), JsonSerializerOptions.Web);
    }

    private sealed record HealthResponse(string Status, IReadOnlyDictionary<string, CheckResult> Checks);

    private sealed record CheckResult(string Status, string? Description, double DurationMs);
}

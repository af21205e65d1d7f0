using System.Text.Encodings.Web;
using System.Text.Json;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace GinoDemo.Api.Startup;

public static class ObservabilityExtensions
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Logs: one JSON object per line outside Development (with scopes: trace id, request path), the readable
    /// format in Development; <c>Logging:Console:FormatterName</c> overrides either. Traces and metrics of
    /// ASP.NET Core, HttpClient, Npgsql and EF Core go over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static WebApplicationBuilder AddJsonLogsAndOpenTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var formatter = configuration["Logging:Console:FormatterName"] is { Length: > 0 } configured ? configured
            : builder.Environment.IsDevelopment() ? "simple" : "json";
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            // Logs are not HTML: keep quotes and non-ASCII text readable instead of \u-escaped.
            options.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        });
        builder.Logging.AddConsole(options => options.FormatterName = formatter);

        if (string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            return builder;
        }

        // Endpoint, protocol, headers and intervals come from the standard OTEL_* settings. Logs stay on the
        // console (UseOtlpExporter would ship them too, SQL included when DB_ECHO is on).
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "gino-demo"))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/healthz"))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("Npgsql", "Microsoft.EntityFrameworkCore", "System.Runtime")
                .AddOtlpExporter());
        return builder;
    }
}

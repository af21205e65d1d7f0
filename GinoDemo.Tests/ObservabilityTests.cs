using System.Net;
using System.Text;
using System.Text.Json;
using GinoDemo.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace GinoDemo.Tests;

/// <summary>JSON logs with scopes in production, readable ones in development; OTLP export only when asked.</summary>
public sealed class ObservabilityTests : ScratchDirectoryTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // These tests share the test database with others without resetting it: ask for an id nobody has.
    private static readonly string UnknownUser = $"/users/{long.MaxValue}";

    [Test]
    public async Task Outside_Development_every_log_line_is_a_JSON_object_and_request_logs_carry_the_trace_id()
    {
        await using var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>(TestDatabase.ApiEnvironment)
        {
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        });
        await api.WaitForOutputAsync("Now listening on", Patience);
        using (var client = api.CreateClient())
        {
            (await client.GetAsync(UnknownUser)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        await api.WaitForOutputAsync("Request finished", Patience);
        var lines = api.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        entries.Should().AllSatisfy(entry => entry.GetProperty("Timestamp").GetString().Should().EndWith("Z"));
        var request = entries.First(entry => entry.GetProperty("Message").GetString()!.StartsWith("Request finished", StringComparison.Ordinal));
        var scopes = request.GetProperty("Scopes").EnumerateArray().ToList();
        scopes.Select(scope => scope.ToString()).Should().Contain(scope => scope.Contains("\"TraceId\"", StringComparison.Ordinal))
            .And.Contain(scope => scope.Contains($"\"RequestPath\":\"{UnknownUser}\"", StringComparison.Ordinal));
        api.Output.Should().NotContain(new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.Options.ConnectionString).Password!);
    }

    [Test]
    public async Task In_Development_logs_are_for_people()
    {
        await using var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>(TestDatabase.ApiEnvironment)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        });

        await api.WaitForOutputAsync("Now listening on", Patience);

        api.Output.Should().Contain("info: GinoDemo.Database").And.NotContain("\"Timestamp\"");
    }

    [Test]
    public async Task With_an_OTLP_endpoint_traces_and_metrics_of_requests_and_database_commands_are_exported()
    {
        using var collector = new OtlpCollector();
        await using var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>(TestDatabase.ApiEnvironment)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        await api.WaitForOutputAsync("Now listening on", Patience);
        using (var client = api.CreateClient())
        {
            (await client.GetAsync(UnknownUser)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        // The request's span and its database span may come in different exports: wait for each.
        await collector.WaitForAsync("/v1/traces", "postgresql", Patience);
        var traces = await collector.WaitForAsync("/v1/traces", "users/{uid}", Patience);
        var metrics = await collector.WaitForAsync("/v1/metrics", "http.server.request.duration", Patience);

        traces.Should().Contain("gino-demo").And.Contain("users/{uid}").And.Contain("FROM users");
        metrics.Should().Contain("gino-demo");
    }

    [Test]
    public void Without_an_OTLP_endpoint_nothing_is_collected()
    {
        // The shared API is configured like any other: no OTLP endpoint.
        TestDatabase.Api.Services.GetService(typeof(TracerProvider)).Should().BeNull();
    }

    /// <summary>Receives OTLP/HTTP exports on a loopback port and keeps their bodies (protobuf: strings stay readable).</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<(string Path, string Body)> _received = [];
        private readonly Task _serving;

        public OtlpCollector()
        {
            Endpoint = new Uri($"http://127.0.0.1:{ApiProcess.FreePort()}/");
            _listener.Prefixes.Add(Endpoint.ToString());
            _listener.Start();
            _serving = ServeAsync();
        }

        public Uri Endpoint { get; }

        public async Task<string> WaitForAsync(string path, string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                lock (_received)
                {
                    var bodies = string.Join("\n", _received.Where(item => item.Path == path).Select(item => item.Body));
                    if (bodies.Contains(text, StringComparison.Ordinal))
                    {
                        return bodies;
                    }
                }

                DateTime.UtcNow.Should().BeBefore(deadline, $"an export to {path} mentioning {text}");
                await Task.Delay(100);
            }
        }

        public void Dispose()
        {
            _listener.Close();
            try
            {
                _serving.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The listener was closed under a pending accept.
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (_received)
                {
                    _received.Add((context.Request.Url!.AbsolutePath, Encoding.Latin1.GetString(body.ToArray())));
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }
    }
}

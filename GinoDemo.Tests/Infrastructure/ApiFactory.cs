using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>
/// The API in process, configured as it is started, plus optional settings that outrank everything. In memory by
/// default; on a real Kestrel socket (a free loopback port) when the test needs Kestrel's limits or client addresses.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?>? _settings;

    public ApiFactory(IReadOnlyDictionary<string, string?>? settings = null, bool useKestrel = false)
    {
        _settings = settings;
        if (useKestrel)
        {
            UseKestrel(0);
        }
    }

    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // As deployed: WebApplicationFactory would otherwise run the API in Development.
        builder.UseEnvironment(Environments.Production);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureAppConfiguration((_, configuration) =>
        {
            // Every test request comes from the same in-memory client; RateLimitTests checks the limit itself.
            configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["RateLimiting:PermitsPerSecond"] = "1000000",
                ["RateLimiting:Burst"] = "1000000",
            });
            if (_settings is not null)
            {
                configuration.AddInMemoryCollection(_settings);
            }
        });
    }
}

using GinoDemo.Data.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace GinoDemo.Api.Startup;

public static class ConfigurationSourcesExtensions
{
    /// <summary>
    /// Replaces ASP.NET Core's per-project appsettings files with the repository's single <c>appsettings.json</c>
    /// (copied beside the assembly, so any working directory finds it) and puts <c>.env</c> from the working
    /// directory between it and the environment: the tutorial's precedence. Command-line arguments stay on top.
    /// </summary>
    public static WebApplicationBuilder UseSingleAppSettingsAndDotEnv(this WebApplicationBuilder builder)
    {
        var sources = builder.Configuration.Sources;
        foreach (var json in sources.OfType<JsonConfigurationSource>().ToList())
        {
            sources.Remove(json);
        }

        var environment = sources.OfType<EnvironmentVariablesConfigurationSource>().FirstOrDefault(source => string.IsNullOrEmpty(source.Prefix));
        var position = environment is null ? sources.Count : sources.IndexOf(environment);
        var defaultsAndDotEnv = new ConfigurationBuilder().AddDefaultsFile().AddDotEnvFile(Directory.GetCurrentDirectory());
        foreach (var source in defaultsAndDotEnv.Sources.Reverse())
        {
            sources.Insert(position, source);
        }

        return builder;
    }
}

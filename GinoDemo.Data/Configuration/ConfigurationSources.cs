using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

namespace GinoDemo.Data.Configuration;

/// <summary>
/// The tutorial's precedence, shared by the API, <c>dotnet ef</c> and the tests:
/// environment variable &gt; <c>.env</c> in the working directory &gt; the defaults in <c>appsettings.json</c>.
/// It is a hosting concern, kept here beside <see cref="DatabaseOptions"/> because <c>dotnet ef</c>'s
/// <see cref="DesignTimeDbContextFactory"/> must read the <c>DB_*</c> settings exactly as the API does.
/// </summary>
public static class ConfigurationSources
{
    public const string DefaultsFileName = "appsettings.json";
    public const string DotEnvFileName = ".env";

    /// <summary>The defaults ship beside the assemblies, so any working directory finds them.</summary>
    public static string DefaultsPath => Path.Combine(AppContext.BaseDirectory, DefaultsFileName);

    public static IConfigurationBuilder AddDefaultsFile(this IConfigurationBuilder builder)
    {
        var source = new DefaultsFileConfigurationSource { Path = DefaultsPath, Optional = false, ReloadOnChange = false };
        source.ResolveFileProvider();
        return builder.Add(source);
    }

    public static IConfigurationBuilder AddDotEnvFile(this IConfigurationBuilder builder, string directory)
    {
        // The default file provider hides dot files, .env included.
        var provider = new PhysicalFileProvider(Path.GetFullPath(directory), ExclusionFilters.None);
        return builder.Add(new DotEnvConfigurationSource { FileProvider = provider, Path = DotEnvFileName, Optional = true });
    }

    /// <summary>The whole chain outside ASP.NET Core: design-time tools and tests.</summary>
    public static IConfigurationRoot Build(string workingDirectory) =>
        new ConfigurationBuilder()
            .AddDefaultsFile()
            .AddDotEnvFile(workingDirectory)
            .AddEnvironmentVariables()
            .Build();
}

using Microsoft.Extensions.Configuration;

namespace GinoDemo.Data.Configuration;

/// <summary>A <c>.env</c> file as a configuration source; see <see cref="DotEnvConfigurationProvider"/> for its syntax.</summary>
public sealed class DotEnvConfigurationSource : FileConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new DotEnvConfigurationProvider(this);
    }
}

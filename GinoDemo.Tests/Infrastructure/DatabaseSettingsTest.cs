using GinoDemo.Data.Configuration;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>
/// Base of the tests of the <c>DB_*</c> settings: <see cref="Load"/> reads them as the API does, from
/// <c>appsettings.json</c>'s defaults, a <c>.env</c> in the test's own directory, and the given pairs in the place
/// of the environment (set explicitly, so they outrank both).
/// </summary>
public abstract class DatabaseSettingsTest : ScratchDirectoryTest
{
    protected DatabaseOptions Load(params (string Key, string Value)[] environment) =>
        DatabaseOptions.Load(new ConfigurationBuilder()
            .AddDefaultsFile()
            .AddDotEnvFile(WorkingDirectory)
            .AddInMemoryCollection(environment.Select(pair => KeyValuePair.Create(pair.Key, (string?)pair.Value)))
            .Build());

    /// <summary>The Npgsql settings the options hold, as Npgsql reads them back.</summary>
    protected static NpgsqlConnectionStringBuilder Connection(DatabaseOptions options) => new(options.ConnectionString);

    /// <summary>The failures that stop startup (exit 2), one per malformed key.</summary>
    protected IReadOnlyCollection<string> Failures(params (string Key, string Value)[] environment)
    {
        var load = () => Load(environment);
        return load.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which.Failures.ToList();
    }
}

using Microsoft.Extensions.Configuration.Json;

namespace GinoDemo.Data.Configuration;

/// <summary>
/// <c>appsettings.json</c>, the one file of defaults, as a source of its own type: a key that only this source gives
/// was not set by the operator (<see cref="SettingReader.IsExplicit"/>), so it does not replace a value the DSN states.
/// </summary>
public sealed class DefaultsFileConfigurationSource : JsonConfigurationSource;

namespace GinoDemo.Api.Startup;

/// <summary>The configuration section <typeparamref name="TOptions"/> is bound to, registered by <see cref="ValidatedOptionsExtensions"/>.</summary>
internal sealed record OptionsSection<TOptions>(string Path);

namespace GinoDemo.Api.Startup;

/// <summary>Options bound from one configuration section, which the options type itself names.</summary>
public interface ISectionOptions
{
    /// <summary>The configuration section, such as <c>Server</c> (<c>Server__RequestTimeout</c> in the environment).</summary>
    static abstract string Section { get; }
}

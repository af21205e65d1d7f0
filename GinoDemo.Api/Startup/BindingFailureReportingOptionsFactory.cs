using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Startup;

/// <summary>
/// The framework's options factory, except that a value the configuration binder cannot convert
/// (<c>Server:RequestTimeout=soon</c>: an <see cref="InvalidOperationException"/> naming the key) becomes an
/// <see cref="OptionsValidationException"/>. <see cref="IStartupValidator"/> collects only those, so every bad
/// section is reported in one run instead of the first type error ending the check.
/// </summary>
internal sealed class BindingFailureReportingOptionsFactory<TOptions>(
    IEnumerable<IConfigureOptions<TOptions>> setups,
    IEnumerable<IPostConfigureOptions<TOptions>> postConfigures,
    IEnumerable<IValidateOptions<TOptions>> validations) : IOptionsFactory<TOptions>
    where TOptions : class
{
    private readonly OptionsFactory<TOptions> _factory = new(setups, postConfigures, validations);

    public TOptions Create(string name)
    {
        try
        {
            return _factory.Create(name);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(name, typeof(TOptions), [e.Message]);
        }
    }
}

using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Startup;

public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Binds the configuration section <paramref name="section"/> to <typeparamref name="TOptions"/>, checks its
    /// data annotations (and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>), and registers it
    /// with the framework's start-up validation (<see cref="IStartupValidator"/>), which <see cref="StartupSteps"/>
    /// runs before anything connects. A value the binder cannot convert is reported like any other invalid value.
    /// Calling it again for the same options and section is harmless, so each extension that reads them can say so;
    /// another section is an <see cref="InvalidOperationException"/>.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.FirstOrDefault(service => service.ServiceType == typeof(OptionsSection<TOptions>))?.ImplementationInstance
            is OptionsSection<TOptions> registered)
        {
            return registered.Path == section
                ? new OptionsBuilder<TOptions>(services, Options.DefaultName)
                : throw new InvalidOperationException($"{typeof(TOptions).Name} is bound to the section '{registered.Path}' already, not to '{section}'.");
        }

        services.AddSingleton(new OptionsSection<TOptions>(section));
        services.AddTransient<IOptionsFactory<TOptions>, BindingFailureReportingOptionsFactory<TOptions>>();
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
    }
}

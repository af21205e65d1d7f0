using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Startup;

public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Binds the configuration section <see cref="ISectionOptions.Section"/> to <typeparamref name="TOptions"/>, checks
    /// its data annotations (and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>), and registers it
    /// with the framework's start-up validation (<see cref="IStartupValidator"/>), which <see cref="StartupSteps"/>
    /// runs before anything connects. A value the binder cannot convert is reported like any other invalid value.
    /// Calling it again for the same options is harmless, so each extension that reads them can say so.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services)
        where TOptions : class, ISectionOptions
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(service => service.ImplementationType == typeof(BindingFailureReportingOptionsFactory<TOptions>)))
        {
            return new OptionsBuilder<TOptions>(services, Options.DefaultName);
        }

        services.AddTransient<IOptionsFactory<TOptions>, BindingFailureReportingOptionsFactory<TOptions>>();
        return services.AddOptions<TOptions>().BindConfiguration(TOptions.Section).ValidateDataAnnotations().ValidateOnStart();
    }
}

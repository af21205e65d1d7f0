using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Startup;

public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Binds the configuration section <paramref name="section"/> to <typeparamref name="TOptions"/>, checks its
    /// data annotations (and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>), and registers it
    /// with the framework's start-up validation (<see cref="IStartupValidator"/>), which <see cref="StartupSteps"/>
    /// runs before anything connects. A value the binder cannot convert is reported like any other invalid value.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddTransient<IOptionsFactory<TOptions>, BindingFailureReportingOptionsFactory<TOptions>>();
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
    }
}

using GinoDemo.Data;
using GinoDemo.Data.Configuration;
using GinoDemo.Data.Connections;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GinoDemo.Api.Startup;

public static class UsersDatabaseExtensions
{
    /// <summary>
    /// The <c>DB_*</c> settings (<see cref="DatabaseOptions"/>), one Npgsql pool per process, and pooled
    /// <see cref="UsersDbContext"/> instances on it (EF Core context pooling: no context is built per request).
    /// </summary>
    public static WebApplicationBuilder AddUsersDatabase(this WebApplicationBuilder builder)
    {
        // Flat DB_* keys with the tutorial's own rules (1/0 booleans, DB_DSN over the parts), so bound by hand rather
        // than by BindConfiguration; Bind throws OptionsValidationException naming every bad key.
        builder.Services.AddOptions<DatabaseOptions>()
            .Configure<IConfiguration>((options, configuration) => DatabaseOptions.Bind(configuration, options))
            .ValidateOnStart();
        // Straight from configuration: loggers exist before the settings are checked, and that check refuses a
        // malformed DB_ECHO (exit 2).
        var configuration = builder.Configuration;
        builder.Logging.AddDbEchoFilter(() => DatabaseOptions.IsOn(configuration["DB_ECHO"]));
        builder.Services.AddSingleton(services => DataSourceFactory.Create(
            services.GetRequiredService<IOptions<DatabaseOptions>>().Value, services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddDbContextPool<UsersDbContext>((services, context) => context.UseUsersDatabase(
            services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        return builder;
    }
}

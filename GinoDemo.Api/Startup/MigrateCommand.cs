using Npgsql;

namespace GinoDemo.Api.Startup;

/// <summary>
/// <c>GinoDemo.Api migrate</c>, the deployment's migration step: the same settings and startup retry as the API,
/// then every pending migration; several replicas may run it at once. Exit codes as <see cref="ServeCommand"/>'s.
/// </summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using (app)
        {
            var logger = StartupSteps.CreateLogger(app);
            if (StartupSteps.CheckSettings(app, logger) is not { } options)
            {
                return 2;
            }

            var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
            if (await StartupSteps.WaitForDatabaseAsync(dataSource, options, logger, serverIsEnough: true) is { } exitCode)
            {
                return exitCode;
            }

            return await StartupSteps.MigrateAsync(app, logger) ? 0 : 1;
        }
    }
}

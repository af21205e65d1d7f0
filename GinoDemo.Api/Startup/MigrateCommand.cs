namespace GinoDemo.Api.Startup;

/// <summary>
/// <c>GinoDemo.Api migrate</c>, the deployment's migration step: the same settings and startup retry as the API,
/// then every pending migration; several replicas may run it at once. Ends with one of <see cref="ExitCodes"/>.
/// </summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using (app)
        {
            var logger = StartupSteps.CreateLogger(app);
            var (options, exitCode) = await StartupSteps.CheckSettingsAndWaitForDatabaseAsync(app, logger, migrating: true);
            if (options is null)
            {
                return exitCode;
            }

            return await StartupSteps.MigrateAsync(app, logger) ? ExitCodes.Success : ExitCodes.DatabaseFailure;
        }
    }
}
